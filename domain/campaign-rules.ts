// The campaign rules the workflows apply. No zod here (the schema is in campaign.ts): every module the
// workflow bundle reaches is evaluated again for each workflow in the worker's cache, and zod's schemas
// cost about 0.7 MB each time (measured: 1.2 MB → 0.28 MB of worker RSS per cached candidature).
import type { AvisFinal } from './avis';
import type { Campagne } from './campaign';

/** Whether a code belongs to the campagne's scale for that side (Paris: the lycée only says réservé or favorable). */
export function isAvisAdmis(campagne: Campagne, cote: 'origine' | 'accueil', code: string): boolean {
  const echelle: readonly string[] = cote === 'origine' ? campagne.avisOrigine : campagne.avisAccueil;
  return echelle.includes(code);
}

/** AFFELNET points for one vœu: none unless the family confirmed and the vœu was entered in time. */
export function calculerBonus(campagne: Campagne, avisFinal: AvisFinal, confirmeAvantEcheance: boolean): number {
  if (!confirmeAvantEcheance) return 0;
  const bonus = campagne.bonus;
  switch (bonus.type) {
    case 'aucun':
      return 0;
    case 'avis_final':
      return bonus.points[avisFinal];
    case 'points_si_favorable':
      return bonus.avisFinal.includes(avisFinal) ? bonus.points : 0;
  }
}
