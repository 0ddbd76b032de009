// What one write of a candidature's state costs: `npm run bench:ecriture [-- --candidatures 400] [--tours 3]`.
// On the database as the tests get it: a fresh database on the PostgreSQL server of
// TEST_DATABASE_URL=postgresql://…, or PGlite in memory (its CPU is then this process's).
//
// Each side writes every state of a candidature's life (test/support/vie-candidature.ts: nine states, the audit rows
// growing), for `--candidatures` new pupils, ten writers at once, as the worker's activities run:
// - prepared: the activity's write (activities/persistence.ts), a statement prepared once per connection;
// - parsed each time: the same text and parameter through Prisma's raw query, as the activity wrote before
//   the statement was prepared (PostgreSQL parses and plans it for every write).
// The sides take turns for `--tours` rounds; each figure is CPU milliseconds per write (this process, then
// PostgreSQL), and the ratio of the sides in each round.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { saveCandidature, requeteEnregistrement } from '../activities/persistence';
import type { Database } from '../platform/database';
import type { CandidatureState } from '../domain/candidature';
import { testDatabase } from '../test/support/db';
import { nouvelIne, vie } from '../test/support/vie-candidature';
import { ecartCpu, releverCpu } from './cpu';
import { mediane } from './statistiques';

const usage = 'usage : npm run bench:ecriture -- [--candidatures 400] [--tours 3]';
const ECRIVAINS = 10;

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { candidatures: { type: 'string', default: '400' }, tours: { type: 'string', default: '3' } },
    strict: true,
  });
  const [candidatures, tours] = [values.candidatures, values.tours].map(Number);
  if (!Number.isInteger(candidatures) || candidatures < 1 || candidatures > 20_000) throw new Error(`--candidatures : un entier de 1 à 20000 est attendu\n${usage}`);
  if (!Number.isInteger(tours) || tours < 1 || tours > 20) throw new Error(`--tours : un entier de 1 à 20 est attendu\n${usage}`);
  return { candidatures, tours };
}

type Ecrire = (db: Database, state: CandidatureState) => Promise<void>;

const preparee: Ecrire = (db, state) => saveCandidature(db, state);
const analyseeChaqueFois: Ecrire = async (db, state) => {
  const { texte, params } = requeteEnregistrement(state);
  await db.prisma.$executeRawUnsafe(texte, ...params);
};

interface Mesure {
  ecritures: number;
  secondes: number;
  /** CPU milliseconds per write: this process, PostgreSQL. */
  node: number;
  postgresql: number;
}

/** Every state of `candidatures` new lives, each life written in order by one of the writers. */
async function mesurer(db: Database, candidatures: number, ecrire: Ecrire): Promise<Mesure> {
  const vies = Array.from({ length: candidatures }, () => vie(nouvelIne()));
  const ecritures = vies.reduce((n, etats) => n + etats.length, 0);
  const [debut, avant] = [performance.now(), releverCpu()];
  let suivante = 0;
  await Promise.all(
    Array.from({ length: ECRIVAINS }, async () => {
      while (suivante < vies.length) for (const state of vies[suivante++]) await ecrire(db, state);
    }),
  );
  const cpu = ecartCpu(avant, releverCpu());
  const parEcriture = (partie: string) => ((cpu.get(partie) ?? 0) * 1000) / ecritures;
  return { ecritures, secondes: (performance.now() - debut) / 1000, node: parEcriture('node'), postgresql: parEcriture('postgresql') };
}

async function main(): Promise<void> {
  const { candidatures, tours } = options();
  const db = await testDatabase();
  try {
    // Both warmed up first: connections open, Prisma's query compiler and the statements ready.
    await mesurer(db, ECRIVAINS, preparee);
    await mesurer(db, ECRIVAINS, analyseeChaqueFois);
    const parTour: [Mesure, Mesure][] = [];
    for (let tour = 0; tour < tours; tour += 1) parTour.push([await mesurer(db, candidatures, preparee), await mesurer(db, candidatures, analyseeChaqueFois)]);

    const base = db.url.startsWith('postgres') ? 'PostgreSQL' : 'PGlite (dans ce processus)';
    console.log(`\n${candidatures} candidatures × 9 états par côté et par tour, ${ECRIVAINS} écrivains à la fois, ${base} ; ${availableParallelism()} cœurs`);
    const ligne = (cellules: (string | number)[]) => `| ${cellules.join(' | ')} |`;
    console.log(ligne(['tour', '', 'écritures', 'durée (s)', 'écritures/s', 'CPU node (ms/écriture)', 'CPU PostgreSQL (ms/écriture)', 'CPU total (ms/écriture)']));
    console.log(ligne(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:']));
    for (const [i, paire] of parTour.entries()) {
      for (const [nom, m] of [['préparée (l’activité)', paire[0]], ['analysée à chaque fois (Prisma, requête brute)', paire[1]]] as const) {
        const cellules = [m.ecritures, m.secondes.toFixed(1), (m.ecritures / m.secondes).toFixed(0), m.node.toFixed(2), m.postgresql.toFixed(2), (m.node + m.postgresql).toFixed(2)];
        console.log(ligne([i + 1, nom, ...cellules]));
      }
    }
    const total = (m: Mesure) => m.node + m.postgresql;
    const rapports = parTour.map(([p, a]) => total(p) / total(a));
    console.log(`\nCPU par écriture, préparée ÷ analysée à chaque fois : médiane ${mediane(rapports).toFixed(2)} (tours : ${rapports.map((r) => r.toFixed(2)).join(', ')})`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
