// A campagne is data (one académie, one year): calendar, delays, avis scales, matrix and bonus rule.
// The schema checks the shape; the cross-checks rule out the data bugs the workflow could not recover from.
import { z } from 'zod';
import {
  avisAccueilCodes,
  avisAccueilPrononceCodes,
  avisFinalCodes,
  avisOrigineCodes,
  NE_SE_PRONONCE_PAS,
} from './avis';
import { isHeure, isIsoDate } from './calendar';

/** An unknown code names itself; a missing one falls through to the French default message. */
function codeAvis<const T extends readonly [string, ...string[]]>(codes: T) {
  return z.enum(codes, {
    error: (issue) =>
      issue.input === undefined ? undefined : `code d'avis inconnu « ${String(issue.input)} » (attendu : ${codes.join(', ')})`,
  });
}

const date = z.string().refine(isIsoDate, 'date attendue au format AAAA-MM-JJ');
const jours = z.number().int().min(0);
const points = z.number().int().min(0);

const calendrierSchema = z.strictObject({
  ouvertureInscriptions: date,
  finInscriptions: date,
  finEntretiens: date,
  finFicheRecapitulative: date,
  ouvertureAffelnet: date,
  finAffelnet: date,
  cloture: date,
});

type Calendrier = z.infer<typeof calendrierSchema>;

/** Each date is inclusive and must not come before the previous one in its chain. */
const ORDRE_CALENDRIER: readonly [keyof Calendrier, keyof Calendrier][] = [
  ['ouvertureInscriptions', 'finInscriptions'],
  ['finInscriptions', 'finEntretiens'],
  ['finEntretiens', 'finFicheRecapitulative'],
  ['finFicheRecapitulative', 'cloture'],
  ['ouvertureAffelnet', 'finAffelnet'],
  ['finAffelnet', 'cloture'],
];

/**
 * How long the campaign's personal data is kept after its closure: until the end of the `moisApresCloture`-th
 * month after the closure's month (then the purge deletes it, workflows/purge.ts).
 */
const conservationSchema = z.strictObject({ moisApresCloture: z.number().int().min(1).max(120) });

const delaisSchema = z.strictObject({
  /** Days after the interview to enter compte rendu and avis d'accueil (deadline: end of that Paris day). */
  compteRenduJours: z.number().int().min(1),
  /** Days after the interview when the lycée is reminded of a missing compte rendu. */
  rappelCompteRenduJours: jours,
  /** Days before finEntretiens to remind the lycée of unplanned interviews. */
  rappelPlanificationJoursAvant: jours,
  /** Days before finEntretiens to escalate unplanned interviews to the SAIO. */
  escaladePlanificationJoursAvant: jours,
  /** Days before finAffelnet to remind the origin school of unconfirmed vœux. */
  rappelAffelnetJoursAvant: jours,
  /** Paris wall time at which dated reminders fall. */
  heureRappels: z.string().refine(isHeure, 'heure attendue au format HH:MM'),
  /** Minutes a pupil needs between two interviews (another lycée may be across the département). */
  margeDeplacementMinutes: z.number().int().min(0),
});

const matriceSchema = z.strictObject({
  cellules: z
    .array(
      z.strictObject({
        origine: codeAvis(avisOrigineCodes),
        accueil: codeAvis(avisAccueilPrononceCodes),
        final: codeAvis(avisFinalCodes),
      }),
    )
    .min(1),
  neSePrononcePas: z.literal('avis_origine'),
});

const bonusSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('aucun') }),
  /** Points for every avis final code, so that no code is forgotten. */
  z.strictObject({ type: z.literal('avis_final'), points: z.record(codeAvis(avisFinalCodes), points) }),
  z.strictObject({ type: z.literal('points_si_favorable'), points, avisFinal: z.array(codeAvis(avisFinalCodes)).min(1) }),
]);

const campagneObjetSchema = z.strictObject({
  id: z.string().regex(/^[a-z]+-\d{4}$/, 'identifiant attendu de la forme academie-annee, ex. creteil-2018'),
  academie: z.enum(['creteil', 'paris', 'versailles']),
  libelle: z.string().min(1),
  calendrier: calendrierSchema,
  conservation: conservationSchema,
  delais: delaisSchema,
  avisOrigine: z.array(codeAvis(avisOrigineCodes)).min(1),
  avisAccueil: z.array(codeAvis(avisAccueilCodes)).min(1),
  matrice: matriceSchema,
  bonus: bonusSchema,
  /** The académie's mail domains: a referent's address must be in one of them (convocations name a minor). */
  domainesCourriel: z.array(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'domaine de courriel attendu, ex. ac-creteil.fr')).min(1),
  /** Which académie text the data comes from, and every value the project decided. */
  source: z.string().min(1),
});

function doublons(valeurs: readonly string[]): string[] {
  return valeurs.filter((v, i) => valeurs.indexOf(v) !== i);
}

type CampagneBrute = z.infer<typeof campagneObjetSchema>;

function verifierCoherence(c: CampagneBrute, ctx: z.RefinementCtx): void {
  const signaler = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });

  for (const [avant, apres] of ORDRE_CALENDRIER) {
    const [d1, d2] = [c.calendrier[avant], c.calendrier[apres]];
    if (isIsoDate(d1) && isIsoDate(d2) && d2 < d1) {
      signaler(['calendrier', apres], `${apres} (${d2}) ne peut précéder ${avant} (${d1})`);
    }
  }

  if (c.delais.rappelCompteRenduJours > c.delais.compteRenduJours) {
    signaler(['delais', 'rappelCompteRenduJours'], 'le rappel du compte rendu doit tomber au plus tard le dernier jour du délai');
  }
  if (c.delais.escaladePlanificationJoursAvant > c.delais.rappelPlanificationJoursAvant) {
    signaler(['delais', 'escaladePlanificationJoursAvant'], "l'escalade au SAIO doit suivre le rappel au lycée, non le précéder");
  }

  for (const echelle of ['avisOrigine', 'avisAccueil'] as const) {
    for (const code of new Set(doublons(c[echelle]))) signaler([echelle], `l'avis « ${code} » figure plusieurs fois dans l'échelle`);
  }

  c.matrice.cellules.forEach((cellule, i) => {
    if (!c.avisOrigine.includes(cellule.origine)) {
      signaler(['matrice', 'cellules', i, 'origine'], `l'avis d'origine « ${cellule.origine} » n'est pas dans l'échelle avisOrigine`);
    }
    if (!c.avisAccueil.includes(cellule.accueil)) {
      signaler(['matrice', 'cellules', i, 'accueil'], `l'avis d'accueil « ${cellule.accueil} » n'est pas dans l'échelle avisAccueil`);
    }
  });

  for (const origine of new Set(c.avisOrigine)) {
    for (const accueil of new Set(c.avisAccueil.filter((a) => a !== NE_SE_PRONONCE_PAS))) {
      const n = c.matrice.cellules.filter((cellule) => cellule.origine === origine && cellule.accueil === accueil).length;
      if (n !== 1) {
        const constat = n === 0 ? 'aucune cellule' : `${n} cellules`;
        signaler(['matrice', 'cellules'], `${constat} pour l'avis d'origine « ${origine} » et l'avis d'accueil « ${accueil} » : une seule attendue`);
      }
    }
  }
}

export const campagneSchema = campagneObjetSchema.superRefine(verifierCoherence);

export type Campagne = z.infer<typeof campagneSchema>;
export type Bonus = Campagne['bonus'];

export class CampagneInvalideError extends Error {
  readonly problemes: string[];

  constructor(problemes: string[]) {
    super(`campagne invalide : ${problemes.join(' ; ')}`);
    this.name = 'CampagneInvalideError';
    this.problemes = problemes;
  }
}

const messagesEnFrancais = z.locales.fr().localeError;

/** Validates a campagne (shape and cross-checks); every problem is listed, named by its field. */
export function parseCampagne(json: unknown): Campagne {
  const resultat = campagneSchema.safeParse(json, { error: messagesEnFrancais });
  if (resultat.success) return resultat.data;
  throw new CampagneInvalideError(resultat.error.issues.map((i) => `${i.path.join('.') || 'campagne'} : ${i.message}`));
}
