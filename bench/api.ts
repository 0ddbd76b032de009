// Latency and throughput of the API on the embedded stack, started as the API tests start it (test/api/harness.ts:
// Temporal dev server, PGlite in memory, SMTP receiver, one worker): `/health` as the floor of the HTTP stack,
// a read of one candidature (a workflow query) and an update (re-sending vœux a candidature already has: a
// workflow update that changes nothing, so the run can last). 50 connections, 10 s each. `npm run bench:api`.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import autocannon from 'autocannon';
import { bearer, corpsInscription, startStack } from '../test/api/harness';

const CONNEXIONS = 50;
const DUREE_S = 10;
/** Requests are spread over this many candidatures, as staff work on many at once. */
const CANDIDATURES = 20;

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

async function main(): Promise<void> {
  // The worker's state changes are not the subject here.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  console.log('démarrage de la pile embarquée (serveur Temporal de développement, PGlite, SMTP, worker)…');
  const stack = await startStack('bench');
  const enCours = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    enCours.add(res);
    res.on('finish', () => enCours.delete(res));
    stack.app(req, res);
  }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const chef = await bearer('origine_chef', { duree: '1h' });
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
    const voeuDejaLa = JSON.stringify({ voeux: [corpsInscription().voeux[0]] });
    console.log(`${CANDIDATURES} candidatures créées ; ${CONNEXIONS} connexions, ${DUREE_S} s par mesure`);

    const mesures: Mesure[] = [];
    mesures.push(await mesurer('GET /health', { url: `${url}/health` }));
    mesures.push(await mesurer('GET /candidatures/:id', { url, requests: tourner(chemins, { method: 'GET', headers: { authorization: chef } }) }));
    mesures.push(
      await mesurer('POST /candidatures/:id/inscription (vœu déjà présent)', {
        url,
        requests: tourner(
          chemins.map((c) => `${c}/inscription`),
          { method: 'POST', headers: { authorization: chef, 'content-type': 'application/json' }, body: voeuDejaLa },
        ),
      }),
    );

    const ligne = (cellules: (string | number)[]) => `| ${cellules.join(' | ')} |`;
    console.log();
    console.log(ligne(['endpoint', 'p50 (ms)', 'p99 (ms)', 'req/s', 'requêtes', 'hors 2xx']));
    console.log(ligne(['---', '---:', '---:', '---:', '---:', '---:']));
    for (const m of mesures) console.log(ligne([m.nom, m.p50, m.p99, m.parSeconde.toFixed(0), m.requetes, m.horsDes2xx]));
    const [sante, lecture] = mesures;
    console.log(`\nlecture ÷ /health (req/s) : ${(lecture.parSeconde / sante.parSeconde).toFixed(2)}`);
    if (mesures.some((m) => m.horsDes2xx > 0)) process.exitCode = 1;
  } finally {
    // autocannon stops at the deadline, leaving requests that the app still serves: they end before the stack stops.
    for (const debut = Date.now(); enCours.size > 0 && Date.now() - debut < 60_000; ) {
      for (const res of enCours) if (res.writableEnded) enCours.delete(res);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const ferme = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await ferme;
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
