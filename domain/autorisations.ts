// Who may take which staff action: one table, read by the API (before anything is looked up) and by the
// procedure's validators (against the candidature itself).
import type { Acteur, Role } from './candidature';

export type Action =
  | 'inscription'
  | 'avis-origine'
  | 'entretien'
  | 'constat-entretien'
  | 'compte-rendu'
  | 'confirmation-famille'
  | 'saisie-affelnet'
  | 'annulation-entretien'
  | 'desistement';

const origine = ['origine_personnel', 'origine_chef'] as const;
const accueil = ['accueil_personnel', 'accueil_chef'] as const;

export interface Autorisation {
  roles: readonly Role[];
  /**
   * Whose school the actor must be: the pupil's collège, the receiving lycée, or either, each for its own
   * role's side (the SAIO acts for both).
   */
  etablissement: 'origine' | 'accueil' | 'origine_ou_accueil';
}

export const autorisations: Record<Action, Autorisation> = {
  inscription: { roles: origine, etablissement: 'origine' },
  'avis-origine': { roles: ['origine_chef'], etablissement: 'origine' },
  entretien: { roles: [...accueil, 'saio'], etablissement: 'accueil' },
  'constat-entretien': { roles: accueil, etablissement: 'accueil' },
  'compte-rendu': { roles: ['accueil_chef'], etablissement: 'accueil' },
  'confirmation-famille': { roles: origine, etablissement: 'origine' },
  'saisie-affelnet': { roles: ['origine_chef'], etablissement: 'origine' },
  // The lycée cancels its interview; the collège announces an absence the family reported before the time.
  'annulation-entretien': { roles: [...accueil, ...origine, 'saio'], etablissement: 'origine_ou_accueil' },
  desistement: { roles: [...origine, 'saio'], etablissement: 'origine' },
};

export const actions = Object.keys(autorisations) as Action[];

/** Why `acteur` may not take `action` on a candidature of these schools, or null when it may. */
export function refusActeur(action: Action, acteur: Acteur, ecoles: { uaiOrigine: string; uaiAccueil: string }): string | null {
  const { roles, etablissement } = autorisations[action];
  if (!roles.includes(acteur.role)) return `action réservée à : ${roles.join(', ')}`;
  if (acteur.role === 'saio') return null;
  const cote = etablissement === 'origine_ou_accueil' ? (acteur.role.startsWith('origine') ? 'origine' : 'accueil') : etablissement;
  const uai = cote === 'origine' ? ecoles.uaiOrigine : ecoles.uaiAccueil;
  return acteur.uai === uai ? null : `action réservée à l'établissement ${uai}`;
}
