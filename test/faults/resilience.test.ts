// Fault tolerance with real processes: the Temporal dev server (SQLite file) and the Passpro worker
// (`runtime/main.ts`, PASSPRO_ROLE=worker) run as child processes on a PostgreSQL database, and a batch of
// candidatures is driven through the procedure (inscription, avis d'origine, convocation, désistement) while
// the worker is killed with SIGKILL again and again, the Temporal server restarts, PostgreSQL is stopped for
// 30 s, SMTP refuses mail. Every candidature completes, with one audit row per history entry, its vœux and
// avis, and each of its three mails once (see `verifier` for the one gap a killed worker leaves).
import { candidatureWorkflowId } from '../../platform/identifiants-candidature';
import { randomBytes } from 'node:crypto';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { convertisseurDonnees } from '../../platform/codec';
import { loadConfig } from '../../platform/config';
import { projectRoot } from '../../platform/paths';
import { argumentsServeurDev, connecterTemporal } from '../../platform/serveur-temporal';
import { temporalCliPath } from '../../platform/temporal-binaries';
import type { CandidatureInput, CandidatureState } from '../../domain/candidature';
import { candidatureStartPolicy, desisterUpdate, inscrireUpdate, planifierEntretienUpdate, saisirAvisOrigineUpdate, stateQuery } from '../../workflows/definitions';
import { openDatabase, type Database } from '../../platform/database';
import { avisOrigineInput, campagneEn, candidatureInput, chefOrigine, eleve, planificationInput } from '../support/fixtures';
import { portLibre } from '../support/ports';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp';
import { uniqueTaskQueue } from '../support/temporal';
import { jusqua } from '../support/workflow-env';

const PG_SCRIPT = path.join(projectRoot, 'scripts', 'postgres-test-server.sh');
const campagne = campagneEn('creteil-2018', 2027);
/** The worker's codec key (a production role needs one of its own), which the test's client reads with. */
const clesCodec = `faults:${randomBytes(32).toString('base64')}`;
/** Its key of the workflow ids, with which the test's client names the candidatures it starts. */
const cleIdentifiants = randomBytes(48).toString('base64');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const postgres = (commande: 'start' | 'stop') => execFileSync('bash', [PG_SCRIPT, commande], { encoding: 'utf8' }).trim();

/** A child process whose output is kept for the failure message. */
function lancer(commande: string, args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; sortie: () => string } {
  const child = spawn(commande, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let sortie = '';
  const garder = (b: Buffer) => {
    sortie = (sortie + b.toString()).slice(-4000);
  };
  child.stdout?.on('data', garder);
  child.stderr?.on('data', garder);
  return { child, sortie: () => sortie };
}

async function arreter(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const fin = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await fin;
}

/** Retries a client call through a server restart (connection refused, unavailable). */
async function avecReprise<T>(appel: () => Promise<T>, quoi: string, diagnostic: () => Promise<string>): Promise<T> {
  const limite = Date.now() + 180_000;
  for (;;) {
    try {
      return await appel();
    } catch (error) {
      const message = String((error as Error)?.message ?? error);
      // A query needs a worker to replay the workflow: while the killed one is restarting, it fails and is retried;
      // an update is refused from a workflow task's third attempt (timed out with each kill) until one completes.
      const passager = /UNAVAILABLE|ECONNREFUSED|Connection refused|connect|deadline|Deadline|shut down|transport|RST_STREAM|14 |Failed to query Workflow|Workflow Task in failed state/i.test(message);
      if (!passager || Date.now() > limite) throw new Error(`${quoi} : ${message}${await diagnostic()}`, { cause: error });
      await pause(500);
    }
  }
}

describe('fault tolerance: worker killed, Temporal restarted, PostgreSQL stopped, SMTP down', () => {
  let dossier: string;
  let temporalPort: number;
  let temporal: ReturnType<typeof lancer>;
  let worker: ReturnType<typeof lancer> | undefined;
  let smtp: SmtpReceiver;
  let baseUrl: string;
  let nomBase: string;
  let db: Database;
  let client: Client;
  let connection: Connection;
  const taskQueue = uniqueTaskQueue('faults');

  function demarrerTemporal(): void {
    temporal = lancer(temporalCliPath(), argumentsServeurDev({ fichier: path.join(dossier, 'temporal.sqlite'), ip: '127.0.0.1', port: temporalPort }));
  }

  function demarrerWorker(): void {
    // tsx as a loader in this very process (its CLI would fork a child that a SIGKILL of the CLI leaves running).
    worker = lancer(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'runtime', 'main.ts')], {
      PASSPRO_ROLE: 'worker',
      // A production role: a secret of its own (the worker signs nothing, but starts as the deployment's would).
      JWT_SECRET: randomBytes(48).toString('base64'),
      PASSPRO_CODEC_KEYS: clesCodec,
      PASSPRO_ID_KEY: cleIdentifiants,
      DATABASE_URL: baseUrl,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SAIO_EMAIL: 'saio@ac-creteil.fr',
      LOG_LEVEL: 'warn',
    });
  }

  beforeAll(async () => {
    dossier = mkdtempSync(path.join(os.tmpdir(), 'passpro-faults-'));
    // The script's own server, whatever TEST_DATABASE_URL says: this test stops and starts it.
    const admin = new URL(postgres('start'));
    nomBase = `passpro_faults_${process.pid}`;
    const adminDb = openDatabase(admin.toString());
    await adminDb.prisma.$executeRawUnsafe(`DROP DATABASE IF EXISTS ${nomBase} WITH (FORCE)`);
    await adminDb.prisma.$executeRawUnsafe(`CREATE DATABASE ${nomBase}`);
    await adminDb.close();
    admin.pathname = `/${nomBase}`;
    baseUrl = admin.toString();
    db = openDatabase(baseUrl);
    smtp = await startSmtpReceiver();
    temporalPort = await portLibre();
    demarrerTemporal();
    connection = await connecterTemporal(`127.0.0.1:${temporalPort}`);
    client = new Client({ connection, dataConverter: convertisseurDonnees(loadConfig({ PASSPRO_CODEC_KEYS: clesCodec }).CODEC) });
    demarrerWorker();
  }, 300_000);

  afterAll(async () => {
    if (worker) await arreter(worker.child, 'SIGKILL');
    if (temporal) await arreter(temporal.child, 'SIGTERM');
    await connection?.close();
    await smtp?.stop();
    await db?.close();
    if (dossier) rmSync(dossier, { recursive: true, force: true });
  }, 60_000);

  let numero = 0;
  /** Candidatures driven to their end so far: each fault must fall while some are still under way. */
  let terminees = 0;
  const nouvelleCandidature = (): CandidatureInput => {
    numero += 1;
    return candidatureInput(campagne, { eleve: { ...eleve(), prenom: `Élève ${numero}` } });
  };

  /** Where each candidature of the batch is on its path, by workflow id: what a stuck one was waiting for. */
  const progres = new Map<string, string>();

  /** Why a candidature did not get on: its workflow task's attempt, its last failures or timeouts, the worker's state. */
  async function diagnostiquer(workflowId: string): Promise<string> {
    const handle = client.workflow.getHandle(workflowId);
    try {
      const { raw } = await handle.describe();
      const { events } = await handle.fetchHistory();
      const echecs = (events ?? [])
        .filter((e) => e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes)
        .slice(-3)
        .map((e) => JSON.stringify(e.workflowTaskFailedEventAttributes ?? e.workflowTaskTimedOutEventAttributes).slice(0, 600));
      return [
        `\n${workflowId} (${progres.get(workflowId) ?? '?'}) : tâche de workflow ${JSON.stringify(raw.pendingWorkflowTask)}`,
        `derniers échecs de tâche : ${echecs.join(' | ') || 'aucun'}`,
        `worker : ${worker?.child.exitCode ?? worker?.child.signalCode ?? 'en marche'}, ${worker?.sortie().slice(-1500)}`,
      ].join('\n');
    } catch (error) {
      return `\n${workflowId} : diagnostic impossible (${String(error)})`;
    }
  }

  /** A batch's end within `ms`, or its stuck candidatures explained. */
  async function dansLesTemps<T>(lot: Promise<T>, ms: number): Promise<T> {
    let minuteur: NodeJS.Timeout | undefined;
    const delai = new Promise<never>((_, reject) => {
      minuteur = setTimeout(() => {
        const bloquees = [...progres.keys()].slice(0, 3);
        const nombres = new Map<string, number>();
        for (const e of progres.values()) nombres.set(e, (nombres.get(e) ?? 0) + 1);
        const parEtape = [...nombres].map(([e, n]) => `${e} : ${n}`).join(', ');
        void Promise.all(bloquees.map(diagnostiquer)).then((d) => reject(new Error(`${progres.size} candidatures pas terminées en ${ms} ms (${parEtape})${d.join('')}`)));
      }, ms);
    });
    try {
      return await Promise.race([lot, delai]);
    } finally {
      clearTimeout(minuteur);
    }
  }

  /** The whole path of one candidature to its end (désistement after the convocation), each step idempotent. */
  async function parcourir(input: CandidatureInput): Promise<CandidatureState> {
    const workflowId = candidatureWorkflowId(cleIdentifiants, input.campagne.id, input.eleve.ine, input.domaine.code);
    const etape = async <T>(nom: string, appel: () => Promise<T>): Promise<T> => {
      progres.set(workflowId, nom);
      return avecReprise(appel, `${workflowId} ${nom}`, () => diagnostiquer(workflowId));
    };
    await etape('inscription', () =>
      client.workflow.executeUpdateWithStart(inscrireUpdate, {
        updateId: `${workflowId}/inscription`,
        args: [{ voeux: input.voeux, acteur: chefOrigine }],
        startWorkflowOperation: new WithStartWorkflowOperation('candidatureWorkflow', { workflowId, taskQueue, ...candidatureStartPolicy, args: [input] }),
      }),
    );
    const handle = client.workflow.getHandle(workflowId);
    await etape('avis', () => handle.executeUpdate(saisirAvisOrigineUpdate, { updateId: `${workflowId}/avis`, args: [avisOrigineInput(input.voeux, ['favorable', 'reserve'])] }));
    await etape('entretien', () => handle.executeUpdate(planifierEntretienUpdate, { updateId: `${workflowId}/entretien`, args: [planificationInput('2027-04-07', '14:00')] }));
    await etape('désistement', () => handle.executeUpdate(desisterUpdate, { updateId: `${workflowId}/desistement`, args: [{ motif: 'Entrée en apprentissage', acteur: chefOrigine }] }));
    await etape('fin', () => handle.result());
    const final = await etape('état final', () => handle.query(stateQuery));
    progres.delete(workflowId);
    terminees += 1;
    return final;
  }

  /**
   * Nothing lost, nothing doubled: rows and mails of each candidature as its final state says. `copies`: a worker
   * killed between SMTP's acceptance of a mail and its record in the outbox cannot know it was sent, and its retry
   * sends it again — the same message, under the same Message-ID (mail clients show it once); only then may a
   * message arrive twice.
   */
  async function verifier(finals: CandidatureState[], copies: 'une' | 'meme_message' = 'une'): Promise<void> {
    await pause(500);
    for (const final of finals) {
      expect(final.etape).toBe('desistee');
      const row = await db.prisma.candidature.findUniqueOrThrow({
        where: { id: final.id },
        include: { evenements: { orderBy: { id: 'asc' } }, voeux: { orderBy: { rang: 'asc' } } },
      });
      expect(row.etape).toBe('desistee');
      expect(row.version).toBe(final.version);
      expect(row.evenements.map((e) => [e.cle, e.type])).toEqual(final.historique.map((h, i) => [`${final.id}#${i}`, h.type]));
      expect(row.voeux.map((v) => [v.codeFormation, v.avisOrigine])).toEqual([
        [final.voeux[0].codeFormation, 'favorable'],
        [final.voeux[1].codeFormation, 'reserve'],
      ]);
      const courriels = await db.prisma.courriel.findMany({ where: { candidatureId: final.id }, orderBy: { id: 'asc' } });
      expect(courriels.map((c) => [c.cle.slice(final.id.length + 1), c.envoyeLe !== null])).toEqual([
        ['convocation/1', true],
        ['annulation', true],
        ['desistement', true],
      ]);
      const recus = smtp.mails.filter((m) => m.text?.includes(encodeURIComponent(final.id)) === true && !(m.subject ?? '').includes('votre attention'));
      const messages = [...new Set(recus.map((m) => m.messageId))].sort();
      expect(messages).toEqual(courriels.map((c) => c.messageId).sort());
      if (copies === 'une') expect(recus).toHaveLength(3);
    }
  }

  /**
   * A batch that outlasts three kills of the worker (or a restart of Temporal): a candidature's four actions and
   * three mails take a fraction of a second when nothing fails, so eight were done before the second kill.
   */
  const LONG_LOT = 40;
  /** A batch's time, within its test's: past it, the stuck candidatures are explained rather than the test timed out. */
  const LIMITE_LOT = 420_000;

  const lot = (n: number) => {
    terminees = 0;
    progres.clear();
    return Array.from({ length: n }, nouvelleCandidature);
  };

  it('kill -9 of the worker, three times while a batch runs: all complete, nothing lost, no audit row or vœu doubled', async () => {
    const candidatures = lot(LONG_LOT);
    const enCours = Promise.all(candidatures.map(parcourir));
    for (let i = 0; i < 3; i += 1) {
      // Each worker is killed a moment after it has started working, whatever its start took.
      await jusqua(() => /worker: file/.test(worker!.sortie()), 'worker démarré', 60_000);
      await pause(1_500);
      expect(terminees).toBeLessThan(candidatures.length);
      await arreter(worker!.child, 'SIGKILL');
      demarrerWorker();
    }
    await verifier(await dansLesTemps(enCours, LIMITE_LOT), 'meme_message');
  }, 600_000);

  it('Temporal dev server restarted in the middle (same SQLite file): all complete', async () => {
    const candidatures = lot(LONG_LOT);
    const enCours = Promise.all(candidatures.map(parcourir));
    await pause(1_000);
    expect(terminees).toBeLessThan(candidatures.length);
    await arreter(temporal.child, 'SIGTERM');
    await pause(2_000);
    demarrerTemporal();
    await verifier(await dansLesTemps(enCours, LIMITE_LOT));
  }, 600_000);

  it('PostgreSQL stopped for 30 s: activities retry and catch up, nothing lost', async () => {
    const candidatures = lot(8);
    const enCours = Promise.all(candidatures.map(parcourir));
    await pause(300);
    expect(terminees).toBeLessThan(candidatures.length);
    postgres('stop');
    await pause(30_000);
    postgres('start');
    await verifier(await dansLesTemps(enCours, LIMITE_LOT));
  }, 600_000);

  it('SMTP refusing mail for 20 s: mails delayed, none lost, none doubled', async () => {
    const candidatures = lot(8);
    smtp.setDown(true);
    const enCours = Promise.all(candidatures.map(parcourir));
    await pause(20_000);
    expect(smtp.mails.filter((m) => candidatures.some((c) => m.text?.includes(encodeURIComponent(c.eleve.ine)) === true))).toEqual([]);
    smtp.setDown(false);
    await verifier(await dansLesTemps(enCours, LIMITE_LOT));
  }, 600_000);

  afterEach(() => {
    if (worker && worker.child.exitCode !== null) console.error(`worker arrêté :\n${worker.sortie()}`);
  });
});
