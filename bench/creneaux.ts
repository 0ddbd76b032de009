// Bulk placement into créneaux against single `entretien` actions, in the same run:
// `npm run bench:creneaux [-- --candidatures 1000]`. On the API suites' stack in this process (test/api/harness.ts:
// Temporal dev server, the product's worker, the database of the tests — TEST_DATABASE_URL=postgresql://… or
// PGlite —, the SMTP receiver), through the same functions as the API's routes:
// - single: each of N candidatures "à planifier" gets its interview typed by hand (`agir(…, 'entretien')`), one after the other;
// - bulk: N other candidatures placed by one `placerTous` into N published créneaux (reservation transaction, then the same action).
// Prints candidatures/s of each side and the ratio bulk ÷ single.
import { DEV_ID_KEY } from '../platform/config';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { createCandidatures } from '../api/candidatures';
import { createCreneaux } from '../api/creneaux';
import type { Appelant } from '../api/auth';
import { campagnes } from '../domain/campaigns';
import { creneauxDeSerie } from '../domain/creneaux';
import { startStack } from '../test/api/harness';
import { COLLEGE, inscription, LYCEE } from '../test/support/fixtures';

const usage = 'usage : npm run bench:creneaux -- [--candidatures 1000]';
const INSCRIPTIONS_A_LA_FOIS = 10;

function options() {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { candidatures: { type: 'string', default: '1000' } }, strict: true });
  const candidatures = Number(values.candidatures);
  if (!Number.isInteger(candidatures) || candidatures < 1 || candidatures > 5000) throw new Error(`--candidatures : un entier de 1 à 5000 est attendu\n${usage}`);
  return { candidatures };
}

async function main(): Promise<void> {
  const { candidatures: n } = options();
  const stack = await startStack('bench-creneaux');
  const { env, db, taskQueue } = stack;
  try {
    const candidatures = createCandidatures({ client: env.client, db, taskQueue, cleIdentifiants: DEV_ID_KEY, liberer: (id) => creneaux.liberer(id) });
    const creneaux = createCreneaux({ db, candidatures });
    const college: Appelant = { role: 'origine_chef', uai: COLLEGE, nom: 'Mme Principale' };
    const lycee: Appelant = { role: 'accueil_chef', uai: LYCEE, nom: 'M. Proviseur' };

    // 2N pupils registered, N in each domaine (the bulk side's in Électricité).
    const electricite = { domaine: { code: 'electricite', libelle: 'Électricité' }, voeux: [{ codeFormation: '40025510', libelle: 'CAP électricien' }] };
    const corps = [...Array.from({ length: n }, () => inscription()), ...Array.from({ length: n }, () => inscription(electricite))];
    console.log(`inscription de ${2 * n} candidatures…`);
    const ids: string[] = [];
    let suivante = 0;
    await Promise.all(
      Array.from({ length: INSCRIPTIONS_A_LA_FOIS }, async () => {
        while (suivante < corps.length) {
          const i = suivante++;
          const { acteur: _acteur, ...c } = corps[i];
          ids[i] = (await candidatures.inscrire(college, c)).id;
        }
      }),
    );
    // Ten-minute créneaux on the working days ahead, 08:00–18:00: as many as the pupils.
    const campagne = campagnes['creteil-2027'];
    const horaires = creneauxDeSerie({ du: '2027-01-04', au: '2027-05-21', jours: [1, 2, 3, 4, 5], debut: '08:00', fin: '18:00', dureeMinutes: 10 }, campagne, new Date()).slice(0, n);
    if (horaires.length < n) throw new Error(`${horaires.length} créneaux possibles seulement`);

    const debutSimple = performance.now();
    for (const [i, h] of horaires.entries()) await candidatures.agir(lycee, ids[i], 'entretien', { date: h.date, heure: h.heure, lieu: 'Atelier B', mode: 'presentiel' });
    const simple = (performance.now() - debutSimple) / 1000;

    for (const h of horaires) {
      await creneaux.publier(lycee, { campagneId: campagne.id, domaine: 'electricite', ...h, lieu: 'Salle E1', mode: 'presentiel', capacite: 1 });
    }
    const debutGroupe = performance.now();
    const { placees, enAttente } = await creneaux.placerTous(lycee, { campagneId: campagne.id, domaine: 'electricite' });
    const groupe = (performance.now() - debutGroupe) / 1000;
    if (placees.length !== n || enAttente.length !== 0) throw new Error(`${placees.length} placées, ${enAttente.length} en attente`);

    const base = db.url.startsWith('postgres') ? 'PostgreSQL' : 'PGlite (dans ce processus)';
    console.log(`\n${n} candidatures par côté, ${base}, ${availableParallelism()} cœurs`);
    console.log(`  entretien un par un : ${simple.toFixed(1)} s, ${(n / simple).toFixed(1)} candidatures/s`);
    console.log(`  placement groupé    : ${groupe.toFixed(1)} s, ${(n / groupe).toFixed(1)} candidatures/s`);
    console.log(`  rapport groupé ÷ un par un (candidatures/s) : ${(simple / groupe).toFixed(2)}`);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
