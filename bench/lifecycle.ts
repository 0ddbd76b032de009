// Cost of a candidature's whole procedure against Temporal's floor, on the embedded stack (Temporal dev
// server as the API tests start it, the database as the tests get it — PGlite in memory, or a fresh database
// on the PostgreSQL server of TEST_DATABASE_URL=postgresql://… —, an SMTP receiver, workers in this process).
// `npm run bench:lifecycle [-- --k 100] [--concurrence 10] [--tours 3]`.
//
// Ours: K candidatures driven through the HTTP API by their staff, all of the procedure that the real clock
// allows in one sitting — inscription, avis d'origine, interview planned minutes ahead (the SAIO's dérogation
// makes any day possible), held as soon as its day has begun, compte rendu, family confirmation, AFFELNET
// entry: the bonus is decided and the candidature closes.
// Baseline: K bare workflows (bench/socle/) on the same server, with a worker of the same options, driven
// at the same concurrency by the Temporal calls the API makes (update-with-start, then an update per action:
// the API reads the state it checks from the database), with the same updates, timers and activities,
// whose bodies are empty, and the same wait for the interview's minute.
// The sides take turns for `--tours` rounds, each warmed up first, then timed. The median of the rounds' ratios
// of wall times is the figure; the histories' event counts of one of each are printed so that the likeness
// can be checked.
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import { availableParallelism } from 'node:os';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createSmtpMailer } from '../platform/smtp';
import { buildApp } from '../api/app';
import { endOfParisDay, parisDateOf, parisTimeOf } from '../domain/calendar';
import { campagnes } from '../domain/campaigns';
import { enregistrerCampagnes } from '../runtime/seed';
import { campagneDemo } from '../scripts/demo/campagne';
import { healthChecks } from '../runtime/app';
import { DEV_ID_KEY, DEV_JWT_SECRET, loadConfig } from '../platform/config';
import { createWorker, reglagesWorker } from '../worker';
import { bearer, corpsInscription } from '../test/api/harness';
import { catalogueDeTest } from '../test/support/catalogue';
import { testDatabase } from '../test/support/db';
import { startSmtpReceiver } from '../test/support/smtp';
import { bundleWorkflows, convertisseurDeTest, devServerEnv, uniqueTaskQueue } from '../test/support/temporal';
import { ecartCpu, releverCpu } from './cpu';
import { activitesSocle } from './socle/activities';
import { mediane } from './statistiques';
import { etapeSocleUpdate, socleWorkflow, type EtapeSocle } from './socle/workflows';

const usage = 'usage : npm run bench:lifecycle -- [--k 100] [--concurrence 10] [--tours 3]';
const { EventType } = temporal.api.enums.v1;

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { k: { type: 'string', default: '100' }, concurrence: { type: 'string', default: '10' }, tours: { type: 'string', default: '3' } },
    strict: true,
  });
  const [k, concurrence, tours] = [values.k, values.concurrence, values.tours].map(Number);
  if (!Number.isInteger(k) || k < 1 || k > 5_000) throw new Error(`--k : un entier de 1 à 5000 est attendu\n${usage}`);
  if (!Number.isInteger(concurrence) || concurrence < 1 || concurrence > 200) throw new Error(`--concurrence : un entier de 1 à 200 est attendu\n${usage}`);
  if (!Number.isInteger(tours) || tours < 1 || tours > 20) throw new Error(`--tours : un entier de 1 à 20 est attendu\n${usage}`);
  return { k, concurrence, tours };
}

async function enParallele(n: number, concurrence: number, faire: (i: number) => Promise<void>): Promise<void> {
  let suivant = 0;
  const ouvrier = async () => {
    while (suivant < n) await faire(suivant++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrence, n) }, ouvrier));
}

/** A few runs first, untimed, so that neither side pays for a cold worker (bundle loaded, code compiled). */
const ECHAUFFEMENT = 5;

/** Warms up, then runs `une` `k` times, `concurrence` at once: the wall time, CPU by part and the workflow ids of the timed runs. */
async function chronometrer(k: number, concurrence: number, une: () => Promise<string>): Promise<{ secondes: number; cpu: Map<string, number>; ids: string[] }> {
  await enParallele(ECHAUFFEMENT, concurrence, async () => void (await une()));
  const ids: string[] = [];
  const [debut, cpuAvant] = [performance.now(), releverCpu()];
  await enParallele(k, concurrence, async () => void ids.push(await une()));
  return { secondes: (performance.now() - debut) / 1000, cpu: ecartCpu(cpuAvant, releverCpu()), ids };
}

/** The interview's minute: the next one begun at least two seconds from now. */
const minuteSuivante = () => new Date(Math.ceil((Date.now() + 2_000) / 60_000) * 60_000);
const attendre = (instant: Date) => new Promise((resolve) => setTimeout(resolve, Math.max(0, instant.getTime() - Date.now())));

/**
 * The activities of each action in the candidature workflow: the handler saves the state (one activity);
 * planning and the compte rendu each queue one mail (convocation, fiche prête) that the main loop sends.
 * The inscription comes with the start, whose write is then the inscription's (mirrored by the baseline).
 */
const ETAPES: EtapeSocle[] = [
  { activites: 1, courriels: 0, derniere: false }, // inscription
  { activites: 1, courriels: 0, derniere: false }, // avis d'origine
  { activites: 1, courriels: 1, derniere: false }, // entretien
  { activites: 1, courriels: 0, derniere: false }, // constat
  { activites: 1, courriels: 1, derniere: false }, // compte rendu
  { activites: 1, courriels: 0, derniere: false }, // confirmation de la famille
  { activites: 1, courriels: 0, derniere: true }, // saisie AFFELNET
];
/** The step held at the interview's minute (the constat), on both sides. */
const CONSTAT = 3;

interface Mesure {
  secondes: number;
  /** CPU seconds by part: this process (API, workers, client), the Temporal server, PostgreSQL. */
  cpu: Map<string, number>;
  tachesWorkflow: number;
  minuteries: number;
  /** The histories' size, encoded as the server stores them: what the payloads cost. */
  octetsHistorique: number;
  /** Event counts of the first workflow's history, by type. */
  evenements: Map<string, number>;
}

async function compter(client: Client, ids: string[]): Promise<Omit<Mesure, 'secondes' | 'cpu'>> {
  let tachesWorkflow = 0;
  let minuteries = 0;
  let octetsHistorique = 0;
  const evenements = new Map<string, number>();
  for (const [i, id] of ids.entries()) {
    const { events } = await client.workflow.getHandle(id).fetchHistory();
    octetsHistorique += temporal.api.history.v1.History.encode({ events }).finish().length;
    for (const event of events ?? []) {
      if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) tachesWorkflow += 1;
      if (event.eventType === EventType.EVENT_TYPE_TIMER_STARTED) minuteries += 1;
      if (i === 0) {
        const nom = EventType[event.eventType ?? 0].replace('EVENT_TYPE_', '');
        evenements.set(nom, (evenements.get(nom) ?? 0) + 1);
      }
    }
  }
  return { tachesWorkflow, minuteries, octetsHistorique, evenements };
}

async function main(): Promise<void> {
  const { k, concurrence, tours } = options();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  console.log('démarrage de la pile embarquée (serveur Temporal de développement, base, SMTP)…');
  const [env, db, smtp, bundle, bundleSocle] = await Promise.all([
    devServerEnv(),
    testDatabase(),
    startSmtpReceiver({ analyser: false }),
    bundleWorkflows(),
    bundleWorkflowCode({ workflowsPath: require.resolve('./socle/workflows'), logger: new DefaultLogger('WARN') }),
  ]);
  const mailer = createSmtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'passpro@ac-creteil.fr' });
  const connection: NativeConnection = env.nativeConnection;
  const fileNous = uniqueTaskQueue('bench-cycle');
  const fileSocle = uniqueTaskQueue('bench-socle');
  await catalogueDeTest(db.prisma);
  // The demo's campaign, on today's dates: the AFFELNET entry is open now, and its reminders fall in hours,
  // after the run (at the latest ten minutes before midnight, Paris time).
  const rappels = new Date(Math.min(Date.now() + 3 * 3_600_000, endOfParisDay(parisDateOf(new Date())).getTime() - 600_000));
  const campagne = campagneDemo(`cycle-${String(process.pid % 10_000).padStart(4, '0')}`, rappels);
  campagnes[campagne.id] = campagne;
  await enregistrerCampagnes(db.prisma, [campagne]);
  const config = loadConfig({ TEMPORAL_TASK_QUEUE: fileNous, DATABASE_URL: db.url });
  const app = buildApp({ client: env.client, db, taskQueue: fileNous, jwtSecret: DEV_JWT_SECRET, cleIdentifiants: DEV_ID_KEY, health: healthChecks(env.client, db, config), logError: console.error });
  const server = createServer(app).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  try {
    const [chefOrigine, chefAccueil] = await Promise.all([bearer('origine_chef', { duree: '2h' }), bearer('accueil_chef', { duree: '2h' })]);
    // The staff's calls, on kept connections: node:http costs the load less than fetch.
    const agent = new Agent({ keepAlive: true, maxSockets: concurrence });
    function appeler(chemin: string, jeton: string, corps: object, attendu = 200): Promise<{ id: string }> {
      const donnees = JSON.stringify(corps);
      return new Promise((resolve, reject) => {
        const headers = { authorization: jeton, 'content-type': 'application/json', 'content-length': Buffer.byteLength(donnees) };
        const req = request(`${url}${chemin}`, { method: 'POST', agent, headers }, (res) => {
          let texte = '';
          res.setEncoding('utf8');
          res.on('data', (morceau: string) => (texte += morceau));
          res.on('end', () => (res.statusCode === attendu ? resolve(JSON.parse(texte) as { id: string }) : reject(new Error(`${chemin} : ${res.statusCode} ${texte}`))));
        });
        req.on('error', reject);
        req.end(donnees);
      });
    }

    // ---- ours: the procedure through the API ----
    const worker = await createWorker({
      connection,
      namespace: 'default',
      taskQueue: fileNous,
      workflowBundle: bundle,
      dataConverter: convertisseurDeTest,
      deps: { db, mailer, publicUrl: 'http://passpro.test', saioEmail: 'saio@ac-creteil.fr' },
    });
    async function candidature(): Promise<string> {
      const corps = corpsInscription({ campagneId: campagne.id });
      const codes = corps.voeux.map((v) => v.codeFormation);
      const { id } = await appeler('/candidatures', chefOrigine, corps, 201);
      const action = (nom: string, jeton: string, donnees: object) => appeler(`/candidatures/${encodeURIComponent(id)}/${nom}`, jeton, donnees);
      await action('avis-origine', chefOrigine, { avis: codes.map((codeFormation) => ({ codeFormation, avis: 'favorable', commentaire: 'Projet mûri, stage réussi.' })) });
      // Held from its time on: each candidature waits for the next minute, and so does the baseline's.
      const instant = minuteSuivante();
      const date = parisDateOf(instant);
      await action('entretien', chefAccueil, { date, heure: parisTimeOf(instant), lieu: 'Atelier B12', mode: 'presentiel', derogation: true, motifDerogation: 'Entretien aussitôt, pour la mesure' });
      await attendre(instant);
      await action('constat-entretien', chefAccueil, { present: true });
      await action('compte-rendu', chefAccueil, { texte: 'Élève curieux, a visité les ateliers.', avis: codes.map((codeFormation) => ({ codeFormation, avis: 'favorable' })) });
      await action('confirmation-famille', chefOrigine, {});
      await action('saisie-affelnet', chefOrigine, { voeux: codes });
      await env.client.workflow.getHandle(id).result();
      return id;
    }
    // ---- baseline: the same calls to Temporal, bare workflows ----
    const workerSocle = await Worker.create({ connection, namespace: 'default', taskQueue: fileSocle, workflowBundle: bundleSocle, activities: activitesSocle, dataConverter: convertisseurDeTest, ...reglagesWorker });
    let minuteries = 0;
    async function nue(): Promise<string> {
      const workflowId = `socle-${randomUUID()}`;
      const [premiere, ...suivantes] = ETAPES;
      await env.client.workflow.executeUpdateWithStart(etapeSocleUpdate, {
        args: [premiere],
        startWorkflowOperation: new WithStartWorkflowOperation(socleWorkflow, { workflowId, args: [minuteries], taskQueue: fileSocle, workflowIdConflictPolicy: 'USE_EXISTING' }),
      });
      const handle = env.client.workflow.getHandle(workflowId);
      for (const [i, etape] of suivantes.entries()) {
        if (i + 1 === CONSTAT) await attendre(minuteSuivante());
        await handle.executeUpdate(etapeSocleUpdate, { args: [etape] });
      }
      await handle.result();
      return workflowId;
    }

    // Rounds, each side in turn: a machine that slows down for a while slows both sides of a round alike.
    const mesurer = async (une: () => Promise<string>): Promise<Mesure> => {
      const { secondes, cpu, ids } = await chronometrer(k, concurrence, une);
      return { secondes, cpu, ...(await compter(env.client, ids)) };
    };
    const parTour: [Mesure, Mesure][] = await worker.runUntil(() =>
      workerSocle.runUntil(async () => {
        const resultats: [Mesure, Mesure][] = [];
        for (let tour = 0; tour < tours; tour += 1) {
          const nous = await mesurer(candidature);
          // The baseline's loop waits as many times as the candidatures' did (the first round tells).
          if (tour === 0) minuteries = Math.round(nous.minuteries / k);
          resultats.push([nous, await mesurer(nue)]);
        }
        return resultats;
      }),
    );

    console.log(`\nK = ${k} candidatures par tour, ${concurrence} menées à la fois, ${tours} tours (Passpro puis socle), même serveur Temporal, workers aux mêmes options ; ${availableParallelism()} cœurs`);
    const ligne = (cellules: (string | number)[]) => `| ${cellules.join(' | ')} |`;
    const cpu = (m: Mesure, partie: string) => (m.cpu.get(partie) ?? 0).toFixed(1);
    const cpuTotal = (m: Mesure) => [...m.cpu.values()].reduce((a, b) => a + b, 0);
    console.log(ligne(['tour', '', 'durée (s)', 'candidatures/s', 'tâches de workflow', 'tâches de workflow/s', 'CPU node (s)', 'CPU Temporal (s)', 'CPU PostgreSQL (s)']));
    console.log(ligne(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
    for (const [i, paire] of parTour.entries()) {
      for (const [nom, m] of [['Passpro (API → workflow candidature, Prisma, SMTP)', paire[0]], ['socle (client Temporal → workflow nu, activités vides)', paire[1]]] as const) {
        const colonnes = [m.secondes.toFixed(1), (k / m.secondes).toFixed(1), m.tachesWorkflow, (m.tachesWorkflow / m.secondes).toFixed(0)];
        console.log(ligne([i + 1, nom, ...colonnes, cpu(m, 'node'), cpu(m, 'temporal'), cpu(m, 'postgresql')]));
      }
    }
    const rapports = parTour.map(([n, s]) => n.secondes / s.secondes);
    console.log(`\nPasspro ÷ socle (durée) : médiane ${mediane(rapports).toFixed(2)} (tours : ${rapports.map((r) => r.toFixed(2)).join(', ')})   (cible ≤ 1,25)`);
    console.log(`Passpro ÷ socle (CPU de tous les processus) : médiane ${mediane(parTour.map(([n, s]) => cpuTotal(n) / cpuTotal(s))).toFixed(2)}`);
    console.log(`coût par tâche de workflow, Passpro ÷ socle : médiane ${mediane(parTour.map(([n, s]) => n.secondes / n.tachesWorkflow / (s.secondes / s.tachesWorkflow))).toFixed(2)}`);

    const [[n, s]] = parTour;
    console.log(`minuteries par workflow : Passpro ${(n.minuteries / k).toFixed(1)} en moyenne, socle ${minuteries}`);
    const ko = (m: Mesure) => (m.octetsHistorique / k / 1024).toFixed(1);
    console.log(`taille d'un historique (encodé) : Passpro ${ko(n)} kio en moyenne, socle ${ko(s)} kio ; Passpro ÷ socle ${(n.octetsHistorique / s.octetsHistorique).toFixed(2)} (cible ≤ 2)`);
    console.log("\névénements de l'historique du premier workflow de chaque (ce qui est comparé) :");
    const types = [...new Set([...n.evenements.keys(), ...s.evenements.keys()])].sort();
    console.log(ligne(['événement', 'Passpro', 'socle']));
    console.log(ligne(['---', '---:', '---:']));
    for (const type of types) console.log(ligne([type, n.evenements.get(type) ?? 0, s.evenements.get(type) ?? 0]));
  } finally {
    const ferme = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await ferme;
    mailer.close();
    await smtp.stop();
    await db.close();
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
