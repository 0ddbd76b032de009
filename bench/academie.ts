// A whole académie at a deadline: `npm run bench:academie [-- --pupils 20000] [--concurrence 50] [--debit 20]`.
//
// The parts run as `docker-compose` runs them, each its own process so that its memory can be read
// (bench/pile.ts).
//
// Every pupil is registered in Métallerie, every other one in Électricité as well (≈ 1.5 candidatures per
// pupil), at 40 lycées, by the Temporal calls the API makes (update-with-start of the inscription). Their
// campaign is built as data around today (scripts/demo/campagne.ts): the interviews end tomorrow, so the
// planning reminder and the escalation to the SAIO of every unplanned candidature fall today at the
// campaign's reminder hour, set a few minutes after the last start is expected (`--debit`, the starts per
// second reckoned with). The inscription deadline cannot be the one: deadlines end a Paris day, only the
// reminder hour falls on a chosen minute. A consequence is done when its rows are in the database: the
// candidature late (escalation recorded), one reminder for the lycée and the escalation for the SAIO and
// the lycée (the `Rappel` rows the 08:30 digest mails tomorrow).
import { candidatureWorkflowId } from '../platform/identifiants-candidature';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { emettreJeton } from '../api/auth';
import { parisTimeOf } from '../domain/calendar';
import { uaiCheckLetter } from '../domain/identifiers';
import { openDatabase } from '../platform/database';
import { campagneDemo } from '../scripts/demo/campagne';
import { ecartCpu, releverCpu } from './cpu';
import { CLE_ID_PILE, convertisseurPile, demarrerPile, FILE, memoire, SECRET_PILE, type Pile } from './pile';
import { mediane } from './statistiques';
import type { Acteur, CandidatureInput } from '../domain/candidature';
import { candidatureStartPolicy, inscrireUpdate } from '../workflows/definitions';
import type { candidatureWorkflow } from '../workflows/candidature';

const usage = 'usage : npm run bench:academie -- [--pupils 20000] [--concurrence 50] [--debit 20] [--cache-worker N] [--temporal CLE=JSON]… [--serveur dev|postgres]';
const LYCEES = 40;
const ELEVES_PAR_COLLEGE = 50;
const MINUTE = 60_000;
/** Rows each candidature gets at the reminder hour: reminder to the lycée, escalation to the SAIO and the lycée. */
const RAPPELS_PAR_CANDIDATURE = 3;

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      pupils: { type: 'string', default: '20000' },
      concurrence: { type: 'string', default: '50' },
      debit: { type: 'string', default: '20' },
      // The levers measured: the worker's cache (WORKER_CACHE) and the Temporal server's dynamic configuration.
      'cache-worker': { type: 'string' },
      temporal: { type: 'string', multiple: true, default: [] },
      serveur: { type: 'string', default: 'dev' },
    },
    strict: true,
  });
  const [eleves, concurrence, debit] = [values.pupils, values.concurrence, values.debit].map(Number);
  const serveur = values.serveur as 'dev' | 'postgres';
  if (serveur !== 'dev' && serveur !== 'postgres') throw new Error(`--serveur : dev (le serveur de développement, SQLite) ou postgres (le serveur complet)\n${usage}`);
  const cacheWorker = values['cache-worker'];
  if (cacheWorker !== undefined && !/^\d+$/.test(cacheWorker)) throw new Error(`--cache-worker : un entier est attendu\n${usage}`);
  const configurationTemporal: Record<string, unknown> = {};
  for (const valeur of values.temporal) {
    const [, cle, json] = /^([\w.]+)=(.+)$/.exec(valeur) ?? [];
    try {
      configurationTemporal[cle] = JSON.parse(json);
    } catch {
      throw new Error(`--temporal ${valeur} : CLE=JSON est attendu (ex. history.hostLevelCacheMaxSize=40000)\n${usage}`);
    }
  }
  if (!Number.isInteger(eleves) || eleves < 1 || eleves > 100_000) throw new Error(`--pupils : un entier de 1 à 100000 est attendu\n${usage}`);
  if (!Number.isInteger(concurrence) || concurrence < 1 || concurrence > 500) throw new Error(`--concurrence : un entier de 1 à 500 est attendu\n${usage}`);
  if (!(debit > 0)) throw new Error(`--debit : un nombre positif est attendu\n${usage}`);
  return { eleves, concurrence, debit, cacheWorker, configurationTemporal, serveur };
}

const attendre = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const uai = (departement: string, n: number) => {
  const sept = `${departement}${String(n).padStart(4, '0')}`;
  return `${sept}${uaiCheckLetter(sept)}`;
};

/** Milliseconds of each of `n` runs of `faire`, in order (the first one is cold). */
async function chronometrer(n: number, faire: () => Promise<unknown>): Promise<number[]> {
  const durees: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const debut = performance.now();
    await faire();
    durees.push(performance.now() - debut);
  }
  return durees;
}

const mio = (octets: number) => `${(octets / 2 ** 20).toFixed(0)} Mio`;
const ms = (valeurs: number[]) => `1re ${valeurs[0].toFixed(0)} ms, médiane ${mediane(valeurs).toFixed(0)} ms, max ${Math.max(...valeurs).toFixed(0)} ms`;

async function main(): Promise<void> {
  const { eleves, concurrence, debit, cacheWorker, configurationTemporal, serveur: serveurTemporal } = options();
  let pile: Pile | undefined;
  let db: ReturnType<typeof openDatabase> | undefined;
  let reussi = false;
  try {
    pile = await demarrerPile('academie', { envWorker: cacheWorker === undefined ? {} : { WORKER_CACHE: cacheWorker }, configurationTemporal, serveurTemporal });
    console.log(`serveur Temporal ${serveurTemporal} ; cache du worker ${cacheWorker ?? 'par défaut'} ; configuration Temporal ${JSON.stringify(configurationTemporal)}`);
    const { serveur, worker, api, dossier, urlApi } = pile;
    const client = new Client({ connection: pile.connection, dataConverter: convertisseurPile });
    db = openDatabase(pile.urlBase);
    const prisma = db.prisma;

    let picSomme = 0;
    const echantillonner = () => {
      picSomme = Math.max(picSomme, memoire(worker.pid!).rss + memoire(serveur.pid!).rss);
    };
    const echantillons = setInterval(echantillonner, 1_000);

    // ---- the académie ----
    const colleges = Array.from({ length: Math.ceil(eleves / ELEVES_PAR_COLLEGE) }, (_, i) => uai('093', 1000 + i));
    const lycees = Array.from({ length: LYCEES }, (_, i) => uai('094', 1000 + i));
    const candidatures = Math.ceil(eleves * 1.5);
    const rappelsLe = Math.ceil((Date.now() + 2 * MINUTE + (candidatures / debit) * 1000) / MINUTE) * MINUTE;
    const campagne = campagneDemo(`bench-${String(Math.floor(Date.now() / 1000) % 10_000).padStart(4, '0')}`, new Date(rappelsLe));
    const demandes: CandidatureInput[] = [];
    for (let i = 0; i < eleves; i += 1) {
      const uaiOrigine = colleges[Math.floor(i / ELEVES_PAR_COLLEGE)];
      const acteur: Acteur = { role: 'origine_chef', uai: uaiOrigine, nom: 'Principal du collège' };
      const eleve = {
        ine: `${String(100_000_000 + i)}BN`,
        nom: 'Élève',
        prenom: `N° ${i}`,
        niveau: '3e',
        uaiOrigine,
        referentNom: 'Professeur principal',
        referentEmail: `pp.${uaiOrigine.toLowerCase()}@ac-creteil.fr`,
      };
      const commun = { campagne, eleve, modalite: 'individuel' as const, acteur };
      demandes.push({
        ...commun,
        domaine: { code: 'metallerie', libelle: 'Métallerie' },
        uaiAccueil: lycees[i % LYCEES],
        voeux: [{ codeFormation: '24025401', libelle: '2nde pro métiers des structures métalliques' }],
      });
      if (i % 2 === 1) {
        demandes.push({
          ...commun,
          domaine: { code: 'electricite', libelle: 'Électricité' },
          uaiAccueil: lycees[(i + 7) % LYCEES],
          voeux: [{ codeFormation: '40025510', libelle: 'CAP électricien' }],
        });
      }
    }
    console.log(`${eleves} élèves, ${demandes.length} candidatures, ${colleges.length} collèges, ${LYCEES} lycées ; escalade à ${parisTimeOf(new Date(rappelsLe))} (Paris)`);

    const pids = { worker: worker.pid!, api: api.pid! };
    const cpuDepart = releverCpu(pids);
    const debutDemarrage = performance.now();
    let suivante = 0;
    await Promise.all(
      Array.from({ length: concurrence }, async () => {
        while (suivante < demandes.length) {
          const demande = demandes[suivante++];
          await client.workflow.executeUpdateWithStart(inscrireUpdate, {
            args: [{ voeux: demande.voeux, acteur: demande.acteur }],
            startWorkflowOperation: new WithStartWorkflowOperation<typeof candidatureWorkflow>('candidatureWorkflow', {
              workflowId: candidatureWorkflowId(CLE_ID_PILE, campagne.id, demande.eleve.ine, demande.domaine.code),
              taskQueue: FILE,
              ...candidatureStartPolicy,
              args: [demande],
            }),
          });
        }
      }),
    );
    const secondesDemarrage = (performance.now() - debutDemarrage) / 1000;
    const cpuDemarrees = releverCpu(pids);
    const avance = (rappelsLe - Date.now()) / 1000;
    console.log(`démarrées en ${secondesDemarrage.toFixed(0)} s (${(demandes.length / secondesDemarrage).toFixed(0)}/s), ${avance >= 0 ? `${avance.toFixed(0)} s avant` : `${(-avance).toFixed(0)} s APRÈS`} l'échéance`);

    // ---- the deadline ----
    const attendus = { enRetard: demandes.length, rappels: demandes.length * RAPPELS_PAR_CANDIDATURE };
    let compte = { enRetard: 0, rappels: 0 };
    for (;;) {
      compte = { enRetard: await prisma.candidature.count({ where: { enRetard: true } }), rappels: await prisma.rappel.count() };
      if (compte.enRetard >= attendus.enRetard && compte.rappels >= attendus.rappels) break;
      if (Date.now() > rappelsLe + 60 * MINUTE) throw new Error(`conséquences incomplètes une heure après l'échéance : ${JSON.stringify(compte)}`);
      await attendre(1_000);
    }
    const secondesEcheance = (Date.now() - rappelsLe) / 1000;
    const cpuConsequences = releverCpu(pids);
    clearInterval(echantillons);
    echantillonner();

    // ---- reading: late candidatures at one lycée ----
    const lycee = lycees[0];
    const jeton = await emettreJeton(SECRET_PILE, { role: 'accueil_chef', uai: lycee, nom: 'Proviseur' }, '1h');
    let totalApi = 0;
    const parApi = await chronometrer(20, async () => {
      const res = await fetch(`${urlApi}/candidatures?uaiAccueil=${lycee}&enRetard=true`, { headers: { authorization: `Bearer ${jeton}` } });
      if (res.status !== 200) throw new Error(`GET /candidatures : ${res.status} ${await res.text()}`);
      totalApi = ((await res.json()) as { total: number }).total;
    });
    const requete = `PassproUaiAccueil = '${lycee}' AND PassproEnRetard = true AND ExecutionStatus = 'Running'`;
    let totalVisibilite = 0;
    const parComptage = await chronometrer(10, async () => {
      totalVisibilite = (await client.workflow.count(requete)).count;
    });
    const parListe = await chronometrer(10, async () => {
      let n = 0;
      for await (const _ of client.workflow.list({ query: requete, pageSize: 20 })) if (++n === 20) break;
    });
    const toutLister = await chronometrer(3, async () => {
      for await (const _ of client.workflow.list({ query: requete, pageSize: 1000 })) void _;
    });

    const [{ taille }] = await prisma.$queryRaw<{ taille: bigint }[]>`SELECT pg_database_size(current_database()) AS taille`;
    const [{ tailleTemporal }] =
      serveurTemporal === 'postgres'
        ? await prisma.$queryRaw<{ tailleTemporal: bigint }[]>`SELECT pg_database_size('temporal') + pg_database_size('temporal_visibility') AS "tailleTemporal"`
        : [{ tailleTemporal: ['temporal.sqlite', 'temporal.sqlite-wal'].reduce((somme, f) => somme + (statSync(path.join(dossier, f), { throwIfNoEntry: false })?.size ?? 0), 0) }];
    const [mw, mt] = [memoire(worker.pid!), memoire(serveur.pid!)];

    console.log(`\n${availableParallelism()} cœurs ; serveur Temporal ${serveurTemporal} ; ${eleves} élèves, ${demandes.length} candidatures ; une escalade de planification pour toutes à la même minute`);
    const ligne = (cellules: (string | number)[]) => `| ${cellules.join(' | ')} |`;
    console.log(ligne(['mesure', 'valeur', 'cible']));
    console.log(ligne(['---', '---', '---']));
    console.log(ligne(['démarrage de toutes (update-with-start de l’inscription)', `${secondesDemarrage.toFixed(0)} s, ${(demandes.length / secondesDemarrage).toFixed(0)} candidatures/s`, '—']));
    console.log(ligne(['échéance → toutes les conséquences en base (retard, rappel, escalade)', `${secondesEcheance.toFixed(0)} s`, '≤ 600 s']));
    console.log(ligne(['pic RSS worker (VmHWM)', mio(mw.pic), '']));
    console.log(ligne(['pic RSS serveur Temporal (VmHWM)', mio(mt.pic), '']));
    console.log(ligne(['pic RSS worker + serveur (somme des pics ; pic de la somme échantillonnée)', `${mio(mw.pic + mt.pic)} ; ${mio(picSomme)}`, '< 2048 Mio']));
    console.log(ligne(['taille de la base PostgreSQL', mio(Number(taille)), '—']));
    console.log(ligne([serveurTemporal === 'postgres' ? 'taille des bases PostgreSQL de Temporal' : 'taille de la base SQLite de Temporal (+ WAL)', mio(Number(tailleTemporal)), '—']));
    console.log(ligne([`API : GET /candidatures?uaiAccueil=${lycee}&enRetard=true (1re page de 20, total ${totalApi})`, ms(parApi), '< 200 ms']));
    console.log(ligne([`visibilité Temporal : count (${totalVisibilite})`, ms(parComptage), '—']));
    console.log(ligne(['visibilité Temporal : list, 20 premières', ms(parListe), '—']));
    console.log(ligne([`visibilité Temporal : list, toutes (${totalVisibilite})`, ms(toutLister), '—']));
    console.log(`conséquences : ${compte.enRetard} candidatures en retard, ${compte.rappels} rappels enregistrés`);
    // The second span includes the wait for the deadline, during which nothing runs.
    const parties = ['worker', 'temporal', 'postgresql', 'api'];
    const cpu = (ecart: Map<string, number>) => parties.map((p) => `${p} ${(ecart.get(p) ?? 0).toFixed(0)} s`).join(', ');
    console.log(`CPU pendant le démarrage : ${cpu(ecartCpu(cpuDepart, cpuDemarrees))}`);
    console.log(`CPU de l'attente puis des conséquences : ${cpu(ecartCpu(cpuDemarrees, cpuConsequences))}`);
    reussi = true;
  } finally {
    await db?.close();
    await pile?.arreter(reussi);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
