// End to end on the Temporal dev server (the one `npm start` runs): API → workflow → activities →
// database and SMTP, and the SAIO's view through visibility queries on the custom search attributes.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import request from 'supertest';
import type { Express } from 'express';
import { createActivities } from '../../activities';
import { createSmtpMailer, type Mailer } from '../../platform/smtp';
import { buildApp } from '../../api/app';
import { healthChecks } from '../../runtime/app';
import { DEV_ID_KEY, loadConfig } from '../../platform/config';
import { catalogueDeTest } from '../support/catalogue';
import { testDatabase, type TestDatabase } from '../support/db';
import { LYCEE } from '../support/fixtures';
import { bearer, corpsInscription as inscription, SECRET } from '../api/harness';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp';
import { bundleWorkflows, convertisseurDeTest, devServerEnv, uniqueTaskQueue } from '../support/temporal';

describe('API end to end on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let smtp: SmtpReceiver;
  let mailer: Mailer;
  let worker: Worker;
  let running: Promise<void>;
  let app: Express;
  /** Tokens: the collège's head (who registers) and the SAIO. */
  let chef: string;
  let saio: string;
  const taskQueue = uniqueTaskQueue('e2e');

  beforeAll(async () => {
    let bundle;
    [env, db, smtp, bundle] = await Promise.all([devServerEnv(), testDatabase(), startSmtpReceiver(), bundleWorkflows()]);
    mailer = createSmtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'passpro@ac-creteil.fr' });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      dataConverter: convertisseurDeTest,
      activities: createActivities({ db, mailer, publicUrl: 'http://passpro.test', saioEmail: 'saio@ac-creteil.fr' }),
    });
    running = worker.run();
    await catalogueDeTest(db.prisma);
    const config = loadConfig({ TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url });
    app = buildApp({ client: env.client, db, taskQueue, jwtSecret: SECRET, cleIdentifiants: DEV_ID_KEY, health: healthChecks(env.client, db, config), logError: console.error });
    [chef, saio] = await Promise.all([bearer('origine_chef'), bearer('saio')]);
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    mailer?.close();
    await smtp?.stop();
    await db?.close();
    await env?.teardown();
  });

  it('answers /health 200 when Temporal, the database and the worker are there, each named for the SAIO', async () => {
    const res = await request(app).get('/health');
    expect([res.status, res.body]).toEqual([200, { statut: 'ok' }]);
    const detail = await request(app).get('/health/composants').set('authorization', saio);
    expect([detail.status, detail.body]).toEqual([200, { statut: 'ok', composants: { temporal: 'ok', base: 'ok', worker: 'ok' } }]);
  });

  it('answers /health 503, and names the missing part for the SAIO', async () => {
    const config = loadConfig({ TEMPORAL_TASK_QUEUE: 'nobody-polls-here', DATABASE_URL: db.url });
    const lonely = buildApp({ client: env.client, db, taskQueue: 'x', jwtSecret: SECRET, cleIdentifiants: DEV_ID_KEY, health: healthChecks(env.client, db, config), logError: console.error });
    const res = await request(lonely).get('/health');
    expect([res.status, res.body]).toEqual([503, { statut: 'indisponible' }]);
    const detail = await request(lonely).get('/health/composants').set('authorization', saio);
    expect(detail.status).toBe(503);
    expect(detail.body.composants).toMatchObject({ temporal: 'ok', base: 'ok', worker: expect.stringContaining('aucun worker') });
  });

  it('starts a candidature that the SAIO finds by search attribute, and a second inscription adds to it', async () => {
    const input = inscription();
    const created = await request(app).post('/candidatures').set('authorization', chef).send(input);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.location).toBe(`/candidatures/${encodeURIComponent(id)}`);

    const again = await request(app)
      .post('/candidatures')
      .set('authorization', chef)
      .send({ ...input, voeux: [{ codeFormation: '50025416', libelle: 'CAP métallier' }] });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(id);
    expect(again.body.voeux.map((v: { codeFormation: string }) => v.codeFormation)).toEqual(['24025401', '50025415', '50025416']);

    const read = await request(app).get(`/candidatures/${encodeURIComponent(id)}`).set('authorization', saio);
    expect(read.status).toBe(200);
    expect(read.body.etape).toBe('a_planifier');
    expect(read.body.historique.map((h: { type: string }) => h.type)).toEqual(['recensement', 'inscription', 'voeux_ajoutes']);

    // The id names no pupil (a pseudonym), and no search attribute does either.
    expect(id).not.toContain(input.eleve.ine);
    const query = `PassproUaiAccueil = '${LYCEE}' AND PassproEtape = 'a_planifier' AND WorkflowId = '${id}'`;
    const deadline = Date.now() + 15_000;
    let found: string[] = [];
    while (found.length === 0 && Date.now() < deadline) {
      found = [];
      for await (const wf of env.client.workflow.list({ query })) found.push(wf.workflowId);
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(found).toEqual([id]);
    const row = await db.prisma.candidature.findUniqueOrThrow({ where: { id }, include: { voeux: true } });
    expect(row.voeux).toHaveLength(3);
  });

  it('désistement through the API: 200, then 409 with the reason', async () => {
    const input = inscription();
    const { body } = await request(app).post('/candidatures').set('authorization', chef).send(input);
    const path = `/candidatures/${encodeURIComponent(body.id)}/desistement`;
    const first = await request(app).post(path).set('authorization', chef).send({ motif: 'projet abandonné' });
    expect(first.status).toBe(200);
    expect(first.body.etape).toBe('desistee');
    const second = await request(app).post(path).set('authorization', chef).send({ motif: 'encore' });
    expect(second.status).toBe(409);
    expect(second.body.erreur).toMatchObject({ code: 'candidature_terminee', message: expect.stringContaining('desistee') });
    await smtp.waitFor((m) => m.text?.includes(input.eleve.nom) === true && m.text.includes('projet abandonné'));

    // One candidature per pupil × domaine × campagne: a new inscription does not start a second one.
    const runAvant = (await env.client.workflow.getHandle(body.id).describe()).runId;
    const reinscription = await request(app).post('/candidatures').set('authorization', chef).send(input);
    expect([reinscription.status, reinscription.body.erreur?.code]).toEqual([409, 'candidature_terminee']);
    expect((await env.client.workflow.getHandle(body.id).describe()).runId).toBe(runAvant);
  });

  it('answers 422 with the reason when the workflow refuses a value, 409 when the step is wrong; nothing changes', async () => {
    const { body } = await request(app).post('/candidatures').set('authorization', chef).send(inscription());
    const base = `/candidatures/${encodeURIComponent(body.id)}`;
    const avis = await request(app)
      .post(`${base}/avis-origine`)
      .set('authorization', chef)
      .send({ avis: [{ codeFormation: '24025401', avis: 'excellent', commentaire: 'Très motivé.' }] });
    expect(avis.status).toBe(422);
    expect(avis.body.erreur).toMatchObject({ code: 'saisie_refusee', message: expect.stringContaining('« excellent » non admis') });
    const etape = await request(app).post(`${base}/confirmation-famille`).set('authorization', chef).send({});
    expect([etape.status, etape.body.erreur.code]).toEqual([409, 'action_refusee']);
    const apres = await request(app).get(base).set('authorization', chef);
    expect(apres.body.version).toBe(body.version);
  });

  it('rejects bad input with a 4xx naming the field, and changes nothing', async () => {
    const before = await db.prisma.candidature.count();
    const bad = await request(app).post('/candidatures').set('authorization', chef).send({ ...inscription(), uaiAccueil: '0940134A' });
    expect(bad.status).toBe(400);
    expect(bad.body.erreur).toMatchObject({ code: 'requete_invalide', champ: 'body.uaiAccueil' });
    const ineligible = await request(app)
      .post('/candidatures')
      .set('authorization', chef)
      .send({ ...inscription(), eleve: { ...inscription().eleve, niveau: '2nde_gt' } });
    expect(ineligible.status).toBe(422);
    expect(ineligible.body.erreur.code).toBe('eleve_non_eligible');
    const closed = await request(app).post('/candidatures').set('authorization', chef).send(inscription({ campagneId: 'creteil-2018' }));
    expect(closed.status).toBe(409);
    expect(closed.body.erreur).toMatchObject({ code: 'inscriptions_closes', message: expect.stringContaining('2018-04-13') });
    const malformed = await request(app).post('/candidatures').set('authorization', chef).set('content-type', 'application/json').send('{"oops":');
    expect(malformed.status).toBe(400);
    const huge = await request(app).post('/candidatures').set('authorization', chef).send({ blob: 'x'.repeat(200_000) });
    expect(huge.status).toBe(413);
    const unknown = await request(app).get('/candidatures/passpro:creteil-2018:123456789AB:inconnu').set('authorization', saio);
    expect(unknown.status).toBe(404);
    expect(unknown.body.erreur.code).toBe('candidature_introuvable');
    expect((await request(app).get('/nowhere')).status).toBe(404);
    expect(await db.prisma.candidature.count()).toBe(before);
  });
});
