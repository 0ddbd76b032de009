// Replay: the histories of completed candidatures, recorded on the real time-skipping server with real
// activities (test/workflows/histories/<generation>/*.json, Temporal's JSON history format), replayed against
// the current workflow bundle. A change to the workflow that would break the runs in flight (a command added,
// removed or reordered without versioning) fails here before it reaches a worker.
//
// A generation is the workflow code between two patches (`patched()`, from the first release on: README,
// "Changing the procedure"): the histories of every generation must still replay, each through its own
// branch of the patches. Recording writes the current generation (only when the procedure changed on
// purpose, behind a new patch, in a new folder named after it):
//   RECORD_HISTORIES=1 bash scripts/jest.sh test/workflows/replay.test.ts
import { DEV_ID_KEY } from '../../platform/config';
import { candidatureWorkflowId } from '../../platform/identifiants-candidature';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { parisInstant } from '../../domain/calendar';
import type { WorkflowHandle } from '@temporalio/client';
import type { candidatureWorkflow } from '../../workflows/candidature';
import type { CandidatureInput } from '../../domain/candidature';
import { annulerEntretienUpdate, confirmerFamilleUpdate, constaterEntretienUpdate, desisterUpdate, planifierEntretienUpdate, saisirAffelnetUpdate, saisirAvisOrigineUpdate, saisirCompteRenduUpdate } from '../../workflows/definitions';
import {
  avisOrigineInput,
  campagneEn,
  candidatureInput,
  chefOrigine,
  compteRenduInput,
  personnelAccueil,
  planificationInput,
  voeuMetallier,
  voeuxMetallerie,
} from '../support/fixtures';
import { bundleWorkflows, convertisseurDeTest } from '../support/temporal';
import { avancerJusqua, contexteDeTests, idDe, inscrireAuDemarrage, withWorker, type WorkflowTestContext } from '../support/workflow-env';

const HISTORIES = path.join(__dirname, 'histories');
/** The generations of the workflow code, oldest first; the last is the one the recorder writes. */
const GENERATIONS = ['v1'];
const GENERATION_COURANTE = GENERATIONS[GENERATIONS.length - 1];
const creteil2018 = campagneEn('creteil-2018', 2027);

// Temporal's JSON history format (proto3 JSON, as `temporal workflow show --output json` writes it), read and
// written with the protobufjs copy that @temporalio/proto is built with. The SDK's own historyToJSON /
// historyFromJSON (@temporalio/common/lib/proto-utils, also used by Worker.runReplayHistory for JSON input)
// throw "type must be a Type" in this install: npm left two copies of protobufjs 8 (under @temporalio/common
// and under @temporalio/proto, the hoisted one being grpc's protobufjs 7), and protojson's `instanceof Type`
// fails across copies. Histories are therefore handed to the replayer as decoded History objects.
interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): History | null;
}
const protojson = jest.requireActual<ProtoJson>(require.resolve('protobufjs/ext/protojson', { paths: [path.dirname(require.resolve('@temporalio/proto'))] }));
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

function historyToJSON(history: History): string {
  return `${JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2)}\n`;
}

function historyFromJSON(json: unknown): History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (history === null) throw new TypeError('historique invalide');
  return history;
}

/**
 * Histories carry no workflow id; the candidature's is rebuilt from the recorded input (the state keeps it),
 * encrypted as every payload is (platform/codec.ts).
 */
async function workflowIdDe(history: History): Promise<string> {
  const chiffre = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!chiffre) throw new Error("historique sans entrée de workflow");
  const [payload] = await convertisseurDeTest.payloadCodecs![0].decode([chiffre]);
  const input = JSON.parse(Buffer.from(payload.data!).toString('utf8')) as CandidatureInput;
  return candidatureWorkflowId(DEV_ID_KEY, input.campagne.id, input.eleve.ine, input.domaine.code);
}

function lire(fichier: string): History {
  return historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES, fichier), 'utf8')));
}

const fichiers = GENERATIONS.flatMap((generation) =>
  readdirSync(path.join(HISTORIES, generation)).filter((f) => f.endsWith('.json')).sort().map((f) => `${generation}/${f}`),
);
const CHEMINS = [
  'absent.json',
  'affelnet-echu.json',
  'compte-rendu-en-retard.json',
  'desistement-apres-convocation.json',
  'entretien-annule.json',
  'entretien-non-constate.json',
  'parcours-complet.json',
  'seance-collective.json',
];

describe('replay of recorded candidature histories', () => {
  let bundle: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    bundle = await bundleWorkflows();
  }, 120_000);

  it('carries no zod: every module the bundle reaches is evaluated again for each cached workflow', () => {
    expect(bundle.code).not.toMatch(/node_modules\/zod\//);
  });

  it('has a recorded history for each main path, in each generation', () => {
    expect(fichiers).toEqual(GENERATIONS.flatMap((generation) => CHEMINS.map((f) => `${generation}/${f}`)));
  });

  it.each(fichiers)('%s replays with the current workflow code', async (fichier) => {
    const history = lire(fichier);
    expect(history.events?.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    await expect(Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: convertisseurDeTest }, history, await workflowIdDe(history))).resolves.toBeUndefined();
  });

  it('catches a non-deterministic change: a timer added before the first write', async () => {
    const modifie = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/changed-workflow'),
      logger: { ...console, trace: () => {}, debug: () => {}, info: () => {}, log: () => {} } as never,
    });
    for (const fichier of GENERATIONS.flatMap((g) => [`${g}/parcours-complet.json`, `${g}/desistement-apres-convocation.json`])) {
      const history = lire(fichier);
      const replay = Worker.runReplayHistory({ workflowBundle: modifie, dataConverter: convertisseurDeTest }, history, await workflowIdDe(history));
      await expect(replay).rejects.toBeInstanceOf(DeterminismViolationError);
    }
  }, 60_000);
});

// ---- the recorder: RECORD_HISTORIES=1 only ----

/** What follows the inscription, which the recorder sends with the start (update-with-start), as the API does. */
type Scenario = (ctx: WorkflowTestContext, handle: WorkflowHandle<typeof candidatureWorkflow>, input: CandidatureInput) => Promise<void>;

/** Registered, avis d'origine in, interview on Wednesday 7 April 2027 at 14:00, held. */
const entretienTenu: Scenario = async (ctx, handle, input) => {
  await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(input.voeux, input.voeux.map(() => 'favorable'))] });
  await handle.executeUpdate(planifierEntretienUpdate, { args: [planificationInput('2027-04-07', '14:00')] });
  await avancerJusqua(ctx, parisInstant('2027-04-07', '15:00'));
  await handle.executeUpdate(constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] });
};

/** The family confirms and the collège enters every vœu in AFFELNET, in time. */
const confirmer: Scenario = async (ctx, handle, input) => {
  await avancerJusqua(ctx, parisInstant('2027-05-10', '10:00'));
  await handle.executeUpdate(confirmerFamilleUpdate, { args: [{ acteur: chefOrigine }] });
  await handle.executeUpdate(saisirAffelnetUpdate, { args: [{ voeux: input.voeux.map((v) => v.codeFormation), acteur: chefOrigine }] });
};

const scenarios: Record<string, { input: () => CandidatureInput; jouer: Scenario }> = {
  'parcours-complet': {
    input: () => candidatureInput(creteil2018, { voeux: [...voeuxMetallerie, voeuMetallier] }),
    async jouer(ctx, handle, input) {
      await entretienTenu(ctx, handle, input);
      await avancerJusqua(ctx, parisInstant('2027-04-09', '07:00'));
      await handle.executeUpdate(saisirCompteRenduUpdate, { args: [compteRenduInput(input.voeux, ['favorable', 'assez_favorable', 'reserve'])] });
      await confirmer(ctx, handle, input);
    },
  },
  absent: {
    input: () => candidatureInput(creteil2018),
    async jouer(ctx, handle, input) {
      await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(input.voeux, ['favorable', 'assez_favorable'])] });
      await handle.executeUpdate(planifierEntretienUpdate, { args: [planificationInput('2027-04-07', '14:00')] });
      await avancerJusqua(ctx, parisInstant('2027-04-07', '14:30'));
      await handle.executeUpdate(constaterEntretienUpdate, { args: [{ present: false, acteur: personnelAccueil }] });
      await confirmer(ctx, handle, input);
    },
  },
  'desistement-apres-convocation': {
    input: () => candidatureInput(creteil2018),
    async jouer(ctx, handle) {
      // No avis d'origine: the planning records its reminder, and the day before's falls due.
      await handle.executeUpdate(planifierEntretienUpdate, { args: [planificationInput('2027-04-07', '14:00')] });
      await avancerJusqua(ctx, parisInstant('2027-04-06', '09:00'));
      await handle.executeUpdate(desisterUpdate, { args: [{ motif: 'Entrée en apprentissage', acteur: chefOrigine }] });
    },
  },
  'entretien-annule': {
    input: () => candidatureInput(creteil2018),
    async jouer(ctx, handle, input) {
      // Cancelled (the family announced an absence), back to planification, then planned again and held.
      await handle.executeUpdate(planifierEntretienUpdate, { args: [{ ...planificationInput('2027-04-07', '14:00'), dureeMinutes: 20 }] });
      await avancerJusqua(ctx, parisInstant('2027-04-02', '10:00'));
      await handle.executeUpdate(annulerEntretienUpdate, { args: [{ motif: 'Élève malade ce jour-là', acteur: chefOrigine }] });
      await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(input.voeux, ['favorable', 'favorable'])] });
      await handle.executeUpdate(planifierEntretienUpdate, { args: [{ ...planificationInput('2027-04-14', '10:00'), dureeMinutes: 45 }] });
      await avancerJusqua(ctx, parisInstant('2027-04-14', '11:00'));
      await handle.executeUpdate(constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] });
      await handle.executeUpdate(saisirCompteRenduUpdate, { args: [compteRenduInput(input.voeux, ['favorable', 'assez_favorable'])] });
      await confirmer(ctx, handle, input);
    },
  },
  'seance-collective': {
    input: () =>
      candidatureInput(creteil2018, {
        modalite: 'collectif',
        domaine: { code: 'sante-aide-personne', libelle: 'Santé et aide à la personne' },
        voeux: [{ codeFormation: '24033004', libelle: '2nde pro accompagnement, soins et services à la personne' }],
      }),
    async jouer(ctx, handle) {
      await handle.executeUpdate(planifierEntretienUpdate, { args: [planificationInput('2027-04-07', '14:00')] });
      await avancerJusqua(ctx, parisInstant('2027-04-07', '16:00'));
      await handle.executeUpdate(constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] });
    },
  },
  'affelnet-echu': {
    input: () => candidatureInput(creteil2018),
    async jouer(ctx, handle, input) {
      await entretienTenu(ctx, handle, input);
      await avancerJusqua(ctx, parisInstant('2027-04-08', '10:00'));
      await handle.executeUpdate(saisirCompteRenduUpdate, { args: [compteRenduInput(input.voeux, ['favorable', 'reserve'])] });
      await avancerJusqua(ctx, parisInstant('2027-05-21', '10:00'));
      await handle.executeUpdate(confirmerFamilleUpdate, { args: [{ acteur: chefOrigine }] });
      await avancerJusqua(ctx, parisInstant('2027-05-24', '09:00'));
    },
  },
  'entretien-non-constate': {
    input: () => candidatureInput(creteil2018),
    async jouer(ctx, handle, input) {
      await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(input.voeux, ['favorable', 'favorable'])] });
      // Never recorded as held: reminded at day 2, escalated at the end of the window, closed with the campaign.
      await handle.executeUpdate(planifierEntretienUpdate, { args: [planificationInput('2027-04-07', '14:00')] });
    },
  },
  'compte-rendu-en-retard': {
    input: () => candidatureInput(creteil2018),
    async jouer(ctx, handle, input) {
      await entretienTenu(ctx, handle, input);
      await avancerJusqua(ctx, parisInstant('2027-04-12', '10:00'));
      await handle.executeUpdate(saisirCompteRenduUpdate, { args: [compteRenduInput(input.voeux, ['assez_favorable', 'favorable'])] });
      await confirmer(ctx, handle, input);
    },
  },
};

(process.env.RECORD_HISTORIES === '1' ? describe : describe.skip)('recording candidature histories (RECORD_HISTORIES=1)', () => {
  const ctx = contexteDeTests();

  it.each(Object.keys(scenarios))('records %s', async (nom) => {
    const { input: creer, jouer } = scenarios[nom];
    const input = creer();
    await withWorker(ctx, async (taskQueue) => {
      await inscrireAuDemarrage(ctx, taskQueue, input);
      const handle = ctx.env.client.workflow.getHandle<typeof candidatureWorkflow>(idDe(input));
      await jouer(ctx, handle, input);
      const etat = await handle.result();
      expect(['cloturee', 'desistee']).toContain(etat.etape);
      const history = await handle.fetchHistory();
      writeFileSync(path.join(HISTORIES, GENERATION_COURANTE, `${nom}.json`), historyToJSON(history));
    });
  });
});
