// The demo's people: collèges, pupils with vœux across domaines (lycées and formations from the catalogue),
// and what staff will do with each candidature. Drawn from a seeded generator: the same seed, the same demo.
import type { Catalogue, DomaineCatalogue } from '../../domain/catalogue';
import type { Eleve, Modalite, VoeuDemande } from '../../workflows/definitions';

/** Where staff leave each candidature, in the order of the procedure. */
export const scenarios = [
  'recensement', // interest recorded, never registered
  'desistement_inscrite', // registered, then withdrawn before any interview
  'non_planifiee', // the lycée never plans the interview: escalated to the SAIO
  'convoquee_demain', // interview planned for tomorrow
  'desistement_convoquee', // withdrawn after the convocation: the interview is cancelled
  'absente', // the pupil does not come
  'seance_suivie', // collective session attended
  'compte_rendu_attendu', // interview held, the lycée has not written the compte rendu yet
  'confirmation_attendue', // avis final known, the family has not confirmed
  'bonus', // confirmed and entered in AFFELNET before the deadline
] as const;
export type Scenario = (typeof scenarios)[number];

/** When the collège's head enters the avis d'origine: before the interview, after it, or never. */
export type SaisieAvisOrigine = 'a_temps' | 'en_retard' | 'jamais';

export interface CandidatureDemo {
  eleve: Eleve;
  domaine: { code: string; libelle: string };
  modalite: Modalite;
  uaiAccueil: string;
  voeux: VoeuDemande[];
  /** Another formation of the domaine at the same lycée, which the pupil may ask for at the interview. */
  autreFormation: VoeuDemande | null;
  scenario: Scenario;
  avisOrigine: SaisieAvisOrigine;
  /** The workflow id, once the API has answered the inscription. */
  id?: string;
}

export interface Population {
  colleges: string[];
  candidatures: CandidatureDemo[];
}

/** mulberry32: small, fast, good enough to draw a demo. */
function generateur(graine: number): () => number {
  let a = graine >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Poids<T extends string> = readonly (readonly [T, number])[];

const POIDS_INDIVIDUEL: Poids<Scenario> = [
  ['recensement', 5],
  ['desistement_inscrite', 4],
  ['non_planifiee', 8],
  ['convoquee_demain', 6],
  ['desistement_convoquee', 4],
  ['absente', 6],
  ['compte_rendu_attendu', 10],
  ['confirmation_attendue', 12],
  ['bonus', 45],
];
const POIDS_COLLECTIF: Poids<Scenario> = [
  ['recensement', 5],
  ['desistement_inscrite', 4],
  ['non_planifiee', 8],
  ['convoquee_demain', 6],
  ['desistement_convoquee', 4],
  ['absente', 8],
  ['seance_suivie', 65],
];
const POIDS_AVIS: Poids<SaisieAvisOrigine> = [
  ['a_temps', 80],
  ['en_retard', 12],
  ['jamais', 8],
];
const NIVEAUX: Poids<string> = [
  ['3e', 80],
  ['3e_segpa', 10],
  ['3e_prepa_metiers', 7],
  ['eana_upe2a_college', 3],
];
const NOMS = ['Martin', 'Bernard', 'Diallo', 'Traoré', 'Nguyen', 'Petit', 'Haddad', 'Moreau', 'Benali', 'Lefebvre', 'Da Silva', 'Camara', 'Fontaine', 'Kone', 'Roux'];
const PRENOMS = ['Léa', 'Yanis', 'Inès', 'Adam', 'Aya', 'Lucas', 'Maëlys', 'Moussa', 'Sarah', 'Rayan', 'Chloé', 'Ibrahim', 'Jade', 'Nolan', 'Fatoumata'];

export function genererPopulation(catalogue: Catalogue, eleves: number, graine: number): Population {
  const hasard = generateur(graine);
  const entier = (n: number) => Math.floor(hasard() * n);
  const parmi = <T>(liste: readonly T[]): T => liste[entier(liste.length)];
  /** Fisher–Yates, on a copy. */
  const melanger = <T>(liste: readonly T[]): T[] => {
    const copie = [...liste];
    for (let i = copie.length - 1; i > 0; i -= 1) {
      const j = entier(i + 1);
      [copie[i], copie[j]] = [copie[j], copie[i]];
    }
    return copie;
  };
  const tirer = <T extends string>(poids: Poids<T>): T => {
    let reste = hasard() * poids.reduce((s, [, p]) => s + p, 0);
    for (const [valeur, p] of poids) if ((reste -= p) < 0) return valeur;
    return poids[poids.length - 1][0];
  };

  // One collège for about thirty pupils, from the catalogue's collèges (the établissements that offer no
  // formation), so that the pages and mails name them; a larger demo shares them out.
  const lyceesOffrants = new Set(catalogue.domaines.flatMap((d) => d.formations.flatMap((f) => f.offres.map((o) => o.uai))));
  const colleges = catalogue.etablissements
    .filter((e) => !lyceesOffrants.has(e.uai))
    .slice(0, Math.max(2, Math.ceil(eleves / 30)))
    .map((e) => e.uai);
  // Collective sessions draw the most pupils (ASSP, hôtellerie-restauration), as in the académie.
  const domaines: Poids<string> = catalogue.domaines.map((d) => [d.code, d.formations.some((f) => f.offres.some((o) => o.modalite === 'collectif')) ? 6 : 1] as const);
  const domaine = (code: string) => catalogue.domaines.find((d) => d.code === code)!;

  const candidatures: CandidatureDemo[] = [];
  for (let n = 0; n < eleves; n += 1) {
    const uaiOrigine = parmi(colleges);
    const nom = parmi(NOMS);
    const eleve: Eleve = {
      ine: `${String(100_000_000 + ((graine * 7919 + n) % 900_000_000)).padStart(9, '0')}${parmi('ABCDEFGHJK'.split(''))}${parmi('ABCDEFGHJK'.split(''))}`,
      nom,
      prenom: parmi(PRENOMS),
      niveau: tirer(NIVEAUX),
      uaiOrigine,
      referentNom: `M. ou Mme ${parmi(NOMS)}`,
      referentEmail: `referent.${uaiOrigine.toLowerCase()}@ac-creteil.fr`,
    };
    // One to three domaines per pupil, each its own candidature (one interview per domaine).
    const choisis = new Set<string>();
    const combien = 1 + (hasard() < 0.35 ? 1 : 0) + (hasard() < 0.1 ? 1 : 0);
    while (choisis.size < combien) choisis.add(tirer(domaines));
    for (const code of choisis) candidatures.push(candidature(eleve, domaine(code)));
  }
  return { colleges, candidatures };

  function candidature(eleve: Eleve, d: DomaineCatalogue): CandidatureDemo {
    const offres = d.formations.flatMap((f) => f.offres.map((o) => ({ formation: f, ...o })));
    const { uai, modalite } = parmi(offres);
    // The vœux of one candidature are the formations of its domaine at the same lycée, with the same modality.
    const surPlace = offres.filter((o) => o.uai === uai && o.modalite === modalite).map(({ formation }) => ({ codeFormation: formation.code, libelle: formation.libelle }));
    const nombre = 1 + entier(Math.min(surPlace.length, 3));
    const melanges = melanger(surPlace);
    return {
      eleve,
      domaine: { code: d.code, libelle: d.libelle },
      modalite,
      uaiAccueil: uai,
      voeux: melanges.slice(0, nombre),
      autreFormation: melanges[nombre] ?? null,
      scenario: tirer(modalite === 'individuel' ? POIDS_INDIVIDUEL : POIDS_COLLECTIF),
      avisOrigine: tirer(POIDS_AVIS),
    };
  }
}
