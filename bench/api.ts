// Latency and throughput of the API as docker-compose runs it (bench/pile.ts: the API its own process, with its
// request logs at the default level, the worker another, the Temporal dev server, PostgreSQL), loaded from this
// process, 50 connections, 10 s each: `/health` (it asks Temporal twice and the database once), a read of one
// candidature (one row) and an update (re-sending vœux a candidature already has: a workflow update that
// changes nothing, so the run can last). `npm run bench:api`.
//
// In the same run, two floors that nothing of ours can go under, at the same concurrency: an Express app with
// one route answering a body of the candidature's size (bench/plancher-http.ts, its own process), and a no-op
// update of a bare workflow (bench/socle/) on the same Temporal server, sent by the Temporal client directly,
// its worker in this process. Each of ours is printed with its ratio to its floor.
import path from 'node:path';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import autocannon from 'autocannon';
import { reglagesWorker } from '../worker';
import { emettreJeton } from '../api/auth';
import { COLLEGE, corpsInscription } from '../test/api/harness';
import { offresDeTest } from '../test/support/catalogue';
import { portLibre } from '../test/support/ports';
import { arreterEnfant, demarrerPile, lancer, SECRET_PILE, type Pile } from './pile';
import { etapeSocleUpdate, socleWorkflow } from './socle/workflows';
import { centile } from './statistiques';
import { activitesSocle } from './socle/activities';

const CONNEXIONS = 50;
const DUREE_S = 10;
/** Requests are spread over this many candidatures, as 50 staff work on different ones. */
const CANDIDATURES = 100;

interface Mesure {
  nom: string;
  p50: number;
  p99: number;
  parSeconde: number;
  requetes: number;
  horsDes2xx: number;
}

async function mesurer(nom: string, options: autocannon.Options): Promise<Mesure> {
  const resultat = await autocannon({ connections: CONNEXIONS, duration: DUREE_S, ...options });
  return {
    nom,
    p50: resultat.latency.p50,
    p99: resultat.latency.p99,
    parSeconde: resultat.requests.average,
    requetes: resultat.requests.total,
    horsDes2xx: resultat.non2xx + resultat.errors + resultat.timeouts,
  };
}

/** One request after another over the candidatures, for a read or an update. */
function tourner(chemins: string[], requete: Omit<autocannon.Request, 'path'>): autocannon.Request[] {
  let suivant = 0;
  return [
    {
      ...requete,
      setupRequest: (req) => {
        suivant = (suivant + 1) % chemins.length;
        return { ...req, path: chemins[suivant] };
      },
    },
  ];
}

/** `CONNEXIONS` callers in a loop for `DUREE_S`, each call timed: autocannon's figures for what is not HTTP. */
async function marteler(nom: string, appel: (i: number) => Promise<unknown>): Promise<Mesure> {
  const durees: number[] = [];
  const fin = performance.now() + DUREE_S * 1000;
  let suivant = 0;
  await Promise.all(
    Array.from({ length: CONNEXIONS }, async () => {
      while (performance.now() < fin) {
        const debut = performance.now();
        await appel(suivant++);
        durees.push(performance.now() - debut);
      }
    }),
  );
  return { nom, p50: Math.round(centile(durees, 50)), p99: Math.round(centile(durees, 99)), parSeconde: durees.length / DUREE_S, requetes: durees.length, horsDes2xx: 0 };
}

/** The floor of the updates: bare workflows on the same server, a no-op update each call. */
async function plancherTemporal(pile: Pile): Promise<Mesure> {
  const connection = await NativeConnection.connect({ address: pile.adresseTemporal });
  const client = new Client({ connection: pile.connection });
  const taskQueue = 'bench-api-socle';
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./socle/workflows'), logger: new DefaultLogger('WARN') });
  const worker = await Worker.create({ connection, taskQueue, workflowBundle, activities: activitesSocle, ...reglagesWorker });
  try {
    return await worker.runUntil(async () => {
      const handles: WorkflowHandle<typeof socleWorkflow>[] = [];
      for (let i = 0; i < CANDIDATURES; i += 1) {
        handles.push(await client.workflow.start(socleWorkflow, { workflowId: `plancher-${Date.now()}-${i}`, taskQueue, args: [0] }));
      }
      const mesure = await marteler('plancher : update sans effet d’un workflow nu (client Temporal)', (i) =>
        handles[i % handles.length].executeUpdate(etapeSocleUpdate, { args: [{ activites: 0, courriels: 0, derniere: false }] }),
      );
      await Promise.all(handles.map((h) => h.terminate('fin de la mesure')));
      return mesure;
    });
  } finally {
    await connection.close();
  }
}

async function main(): Promise<void> {
  // The floor's worker logs nothing but warnings.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  let pile: Pile | undefined;
  let reussi = false;
  try {
    pile = await demarrerPile('api', { envApi: { LOG_LEVEL: 'info' } });
    const url = pile.urlApi;
    const chef = `Bearer ${await emettreJeton(SECRET_PILE, { role: 'origine_chef', uai: COLLEGE, nom: 'Test origine_chef' }, '1h')}`;
    // The API loaded the shipped catalogue at its start; the fixtures' vœux are opened as the SAIO opens offers.
    const saio = `Bearer ${await emettreJeton(SECRET_PILE, { role: 'saio', uai: null, nom: 'Test saio' }, '1h')}`;
    for (const offre of offresDeTest) {
      const res = await fetch(`${url}/catalogue/offres`, { method: 'POST', headers: { authorization: saio, 'content-type': 'application/json' }, body: JSON.stringify(offre) });
      if (!res.ok) throw new Error(`offre : ${res.status} ${await res.text()}`);
    }
    const ids: string[] = [];
    for (let i = 0; i < CANDIDATURES; i += 1) {
      const res = await fetch(`${url}/candidatures`, {
        method: 'POST',
        headers: { authorization: chef, 'content-type': 'application/json' },
        body: JSON.stringify(corpsInscription()),
      });
      if (res.status !== 201) throw new Error(`inscription : ${res.status} ${await res.text()}`);
      ids.push(((await res.json()) as { id: string }).id);
    }
    const chemins = ids.map((id) => `/candidatures/${encodeURIComponent(id)}`);
    const taille = (await (await fetch(`${url}${chemins[0]}`, { headers: { authorization: chef } })).text()).length;
    const voeuDejaLa = JSON.stringify({ voeux: [corpsInscription().voeux[0]] });
    console.log(`${CANDIDATURES} candidatures créées (état lu : ${taille} octets) ; ${CONNEXIONS} connexions, ${DUREE_S} s par mesure`);

    const port = await portLibre();
    const plancherHttp = await lancer('plancher-http', process.execPath, ['--import', 'tsx', path.join('bench', 'plancher-http.ts'), String(port), String(taille)], {}, pile.dossier, /prêt/);
    let plancherLecture: Mesure;
    try {
      plancherLecture = await mesurer('plancher : Express, une route, même corps', { url: `http://127.0.0.1:${port}/candidatures/x` });
    } finally {
      await arreterEnfant(plancherHttp);
    }
    const sante = await mesurer('GET /health', { url: `${url}/health` });
    const lecture = await mesurer('GET /candidatures/:id', { url, requests: tourner(chemins, { method: 'GET', headers: { authorization: chef } }) });
    const update = await mesurer('POST /candidatures/:id/inscription (vœu déjà présent)', {
      url,
      requests: tourner(
        chemins.map((c) => `${c}/inscription`),
        { method: 'POST', headers: { authorization: chef, 'content-type': 'application/json' }, body: voeuDejaLa },
      ),
    });
    const plancherUpdate = await plancherTemporal(pile);

    const ligne = (cellules: (string | number)[]) => `| ${cellules.join(' | ')} |`;
    console.log();
    console.log(ligne(['endpoint', 'p50 (ms)', 'p99 (ms)', 'req/s', 'requêtes', 'hors 2xx', 'cible']));
    console.log(ligne(['---', '---:', '---:', '---:', '---:', '---:', '---']));
    const cibles = new Map([
      [lecture, 'p99 < 20 ms ; req/s ≥ 50 % de /health'],
      [update, 'p99 < 100 ms'],
    ]);
    for (const m of [sante, lecture, plancherLecture, update, plancherUpdate]) {
      console.log(ligne([m.nom, m.p50, m.p99, m.parSeconde.toFixed(0), m.requetes, m.horsDes2xx, cibles.get(m) ?? '']));
    }
    const rapport = (a: number, b: number) => (a / b).toFixed(2);
    console.log(`\nlecture ÷ /health (req/s) : ${rapport(lecture.parSeconde, sante.parSeconde)}`);
    console.log(`lecture ÷ plancher Express : p99 ${rapport(lecture.p99, plancherLecture.p99)}, req/s ${rapport(lecture.parSeconde, plancherLecture.parSeconde)}`);
    console.log(`update ÷ plancher Temporal : p99 ${rapport(update.p99, plancherUpdate.p99)}, req/s ${rapport(update.parSeconde, plancherUpdate.parSeconde)}`);
    if ([sante, lecture, update, plancherLecture].some((m) => m.horsDes2xx > 0)) process.exitCode = 1;
    reussi = true;
  } finally {
    await pile?.arreter(reussi);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
