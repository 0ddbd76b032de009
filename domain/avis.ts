// The avis codes and the avis final: a cross of the origin school's and the receiving lycée's avis,
// read from the campaign's matrix (data), never hard-coded.

export const avisOrigineCodes = ['favorable', 'assez_favorable', 'reserve'] as const;
export type AvisOrigine = (typeof avisOrigineCodes)[number];

export const NE_SE_PRONONCE_PAS = 'ne_se_prononce_pas';
/** The avis d'accueil values a matrix cell may hold: « ne se prononce pas » is a rule, not a cell. */
export const avisAccueilPrononceCodes = ['favorable', 'assez_favorable', 'reserve'] as const;
export type AvisAccueilPrononce = (typeof avisAccueilPrononceCodes)[number];
export const avisAccueilCodes = [...avisAccueilPrononceCodes, NE_SE_PRONONCE_PAS] as const;
export type AvisAccueil = (typeof avisAccueilCodes)[number];

export const avisFinalCodes = ['tres_favorable', 'favorable', 'assez_favorable', 'peu_favorable', 'reserve', 'incomplet'] as const;
export type AvisFinal = (typeof avisFinalCodes)[number];

export type CodeAvis = AvisOrigine | AvisAccueil | AvisFinal;

const LIBELLES: Record<CodeAvis, string> = {
  tres_favorable: 'très favorable',
  favorable: 'favorable',
  assez_favorable: 'assez favorable',
  peu_favorable: 'peu favorable',
  reserve: 'réservé',
  ne_se_prononce_pas: 'ne se prononce pas',
  incomplet: 'incomplet',
};

export function isCodeAvis(code: string): code is CodeAvis {
  return Object.hasOwn(LIBELLES, code);
}

export function libelleAvis(code: CodeAvis): string {
  return LIBELLES[code];
}

export interface CelluleMatrice {
  origine: AvisOrigine;
  accueil: AvisAccueilPrononce;
  final: AvisFinal;
}

export interface Matrice {
  cellules: CelluleMatrice[];
  /** What « ne se prononce pas » from the lycée yields: the only rule the texts give is the avis d'origine. */
  neSePrononcePas: 'avis_origine';
}

/**
 * The avis final of one vœu. A missing avis on either side (absent pupil, avis never entered) gives
 * `incomplet` (project decision where the texts only cover both missing). A pair the matrix lacks is a
 * campaign data bug that `parseCampagne` rules out, so it throws rather than guesses.
 */
export function calculerAvisFinal(matrice: Matrice, avisOrigine: string | null, avisAccueil: string | null): AvisFinal {
  if (avisAccueil === NE_SE_PRONONCE_PAS) return avisOrigine === null ? 'incomplet' : avisOrigineEnFinal(avisOrigine);
  if (avisOrigine === null || avisAccueil === null) return 'incomplet';
  const cellule = matrice.cellules.find((c) => c.origine === avisOrigine && c.accueil === avisAccueil);
  if (cellule === undefined) {
    throw new Error(`matrice d'avis incomplète : aucune cellule pour l'avis d'origine « ${avisOrigine} » et l'avis d'accueil « ${avisAccueil} »`);
  }
  return cellule.final;
}

/** Every avis d'origine code is also an avis final code: « ne se prononce pas » passes it through. */
function avisOrigineEnFinal(avisOrigine: string): AvisFinal {
  const avis = avisOrigineCodes.find((code) => code === avisOrigine);
  if (avis === undefined) throw new Error(`avis d'origine inconnu « ${avisOrigine} »`);
  return avis;
}
