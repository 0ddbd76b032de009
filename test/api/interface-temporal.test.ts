// What the SAIO reads of a candidature in the Temporal UI: whose it is (initials, domaine, lycée), its step,
// what it waits for and by when, and what each timer waits for, in words. Against the real dev server.
import request from 'supertest';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { bearer, corpsInscription, startStack, type Stack } from './harness';

const { EventType } = temporal.api.enums.v1;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack('interface-temporal');
}, 120_000);
afterAll(async () => stack?.stop());

it('gives the workflow a summary, current details and named timers, without the pupil\'s name', async () => {
  const corps = corpsInscription();
  const res = await request(stack.app).post('/candidatures').set('authorization', await bearer('origine_chef')).send(corps);
  expect(res.status).toBe(201);
  const handle = stack.env.client.workflow.getHandle(res.body.id as string);

  const description = await handle.describe();
  const resume = await description.staticSummary();
  const [initiales, domaine, lycee] = (resume ?? '').split(' · ');
  expect(initiales).toBe(`${corps.eleve.prenom[0]}. ${corps.eleve.nom[0]}.`);
  expect(domaine).toBe(corps.domaine.libelle);
  expect(lycee).toMatch(/\D{5}/); // the lycée's name and commune, not its UAI
  expect(resume).not.toContain(corps.eleve.nom);

  const metadata = (await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
  expect(metadata.currentDetails).toMatch(/\*\*Étape\*\* : Entretien à planifier/);
  expect(metadata.currentDetails).toMatch(/\*\*Attendu\*\* : la planification de l'entretien par le lycée, au plus tard le \w+ \d/);
  expect(metadata.currentDetails).toMatch(/\*\*Prochaine échéance\*\* : /);
  expect(metadata.currentDetails).not.toContain(corps.eleve.nom);

  const historique = await handle.fetchHistory();
  const timers = (historique.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED);
  expect(timers.length).toBeGreaterThan(0);
  const resumes = await Promise.all(
    timers.map(async (e) => (e.userMetadata?.summary ? decodeFromPayloadsAtIndex<string>(stack.env.client.options.loadedDataConverter, 0, [e.userMetadata.summary]) : undefined)),
  );
  expect(resumes[0]).toMatch(/rappel au lycée : entretien à planifier|fin des inscriptions|échéance|clôture/);
}, 60_000);
