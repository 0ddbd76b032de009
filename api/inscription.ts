// The checks of an inscription that need no workflow: the pupil is the caller's, eligible, and the campaign
// still takes inscriptions. `POST /candidatures` runs them before starting anything; the CSV import runs
// them on every line before starting anything.
import type { z } from 'zod';
import type { PrismaClient } from '../platform/database';
import { campagnes } from '../domain/campaigns';
import { echeanceInscription } from '../domain/deadlines';
import { checkEligibilite } from '../domain/eligibility';
import type { Appelant } from './auth';
import { ApiError } from './errors';
import type { inscriptionSchema } from './schemas';

export type Inscription = z.infer<typeof inscriptionSchema>;

/** The pupil already has a candidature in this domaine, followed by another school: said, nothing of it shown. */
export const candidatureExistante = {
  code: 'candidature_existante',
  message: 'cet élève a déjà une candidature dans ce domaine, suivie par un autre établissement',
} as const;

/**
 * A pupil is one collège's in a campaign: what it entered about him (names, niveau, referent) is seen by the
 * lycées and exported to AFFELNET under its UAI, so no other collège may register him. A pupil who moved is the
 * SAIO's to settle (withdraw the first collège's candidatures, then the new collège registers him).
 */
export const eleveDUnAutreCollege = {
  code: 'eleve_d_un_autre_etablissement',
  message: "cet élève est inscrit dans cette campagne par un autre établissement d'origine : s'il a changé d'établissement, le SAIO retire d'abord ses candidatures",
} as const;

/** The collège that registered this INE in the campaign, if another than `uai` (its candidatures still open or not). */
export async function autreCollegeDeLEleve(prisma: PrismaClient, campagneId: string, ine: string, uai: string | null): Promise<boolean> {
  const autre = await prisma.candidature.findFirst({
    where: { campagneId, ine, uaiOrigine: { not: uai ?? '' }, etape: { not: 'desistee' } },
    select: { id: true },
  });
  return autre !== null;
}

/** Refused before anything starts: a late inscription must not leave a candidature behind. */
export function verifierCampagneOuverte(campagneId: string): void {
  const campagne = campagnes[campagneId];
  if (Date.now() > echeanceInscription(campagne).getTime()) {
    throw new ApiError(409, 'inscriptions_closes', `les inscriptions de la campagne ${campagneId} sont closes depuis le ${campagne.calendrier.finInscriptions}`);
  }
}

/** The pupil's school and niveau, and the referent's academic address (`champ` names the field of the body). */
export function verifierEleve(acteur: Appelant, inscription: Pick<Inscription, 'eleve' | 'campagneId'>): void {
  if (inscription.eleve.uaiOrigine !== acteur.uai) {
    throw new ApiError(403, 'acces_refuse', `un établissement n'inscrit que ses élèves (UAI ${acteur.uai})`, 'body.eleve.uaiOrigine');
  }
  const eligibilite = checkEligibilite(inscription.eleve.niveau);
  if (!eligibilite.eligible) throw new ApiError(422, 'eleve_non_eligible', eligibilite.raison, 'body.eleve.niveau');
  // Convocations carry a minor's name: they go to academic mailboxes only.
  const { domainesCourriel } = campagnes[inscription.campagneId];
  const courriel = inscription.eleve.referentEmail;
  if (!domainesCourriel.includes(courriel.slice(courriel.lastIndexOf('@') + 1).toLowerCase())) {
    const attendus = domainesCourriel.map((d) => `@${d}`).join(', ');
    throw new ApiError(422, 'courriel_hors_academie', `le courriel de la personne référente doit être une adresse académique (${attendus}) : « ${courriel} » n'en est pas une`, 'body.eleve.referentEmail');
  }
}

export function verifierInscription(acteur: Appelant, inscription: Inscription): void {
  verifierEleve(acteur, inscription);
  verifierCampagneOuverte(inscription.campagneId);
}
