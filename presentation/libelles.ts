// The words of the staff's pages for the procedure's codes: steps, history events, latenesses, actions,
// as the people of DOMAIN.md say them. Pure data, read by the pages' view models.
import { isCodeAvis, libelleAvis } from '../domain/avis';
import type { Action } from '../domain/autorisations';
import { etapes } from '../domain/procedure';
import type { Etape, Retard } from '../domain/candidature';

export const libellesEtape = Object.fromEntries(Object.entries(etapes).map(([etape, { libelle }]) => [etape, libelle])) as Record<Etape, string>;

/** The DSFR badge of a step: what waits on the lycée is "new", what is done "success". */
export const badgeEtape: Record<Etape, 'info' | 'new' | 'success' | 'warning' | undefined> = {
  recensement: undefined,
  a_planifier: 'new',
  convoquee: 'info',
  compte_rendu_attendu: 'new',
  confirmation_attendue: 'info',
  cloturee: 'success',
  desistee: undefined,
};

export const libellesRetard: Record<Retard, string> = {
  planification: 'Entretien non planifié',
  avis_origine: "Avis d'origine manquant",
  compte_rendu: 'Compte rendu en retard',
};

/** A code the pages do not know (a newer workflow's) shows as itself rather than nothing. */
export const libelleEtape = (etape: string): string => (Object.hasOwn(libellesEtape, etape) ? libellesEtape[etape as Etape] : etape);
export const libelleRetard = (retard: string): string => (Object.hasOwn(libellesRetard, retard) ? libellesRetard[retard as Retard] : retard);

const libellesEvenement: Record<string, string> = {
  recensement: 'Recensement',
  inscription: 'Inscription',
  voeux_ajoutes: 'Vœux ajoutés',
  non_inscrite: 'Non inscrite à temps',
  avis_origine: "Avis d'origine saisi",
  avis_origine_en_retard: "Avis d'origine en retard",
  entretien_planifie: 'Entretien planifié',
  entretien_modifie: 'Entretien modifié',
  entretien_annule: 'Entretien annulé (à planifier de nouveau)',
  entretien_tenu: 'Entretien tenu',
  absence: 'Élève absent',
  seance_collective_suivie: 'Séance collective suivie',
  escalade_planification: 'Signalé au SAIO : entretien non planifié',
  escalade_compte_rendu: 'Signalé au SAIO : compte rendu en retard',
  compte_rendu: 'Compte rendu et avis d’accueil saisis',
  fiche_recapitulative_prete: 'Fiche récapitulative prête',
  confirmation_famille: 'Confirmation de la famille',
  saisie_affelnet: 'Saisie dans AFFELNET',
  bonus_decide: 'Bonus décidé',
  aucun_bonus: 'Aucun bonus',
  desistement: 'Désistement',
  cloture: 'Clôture',
};

/** An event the table does not know (a newer workflow) shows as its code rather than nothing. */
export const libelleEvenement = (type: string): string => libellesEvenement[type] ?? type;

export const libellesAction: Record<Action, string> = {
  inscription: 'Inscrire',
  'avis-origine': "Saisir l'avis d'origine",
  entretien: "Planifier l'entretien",
  'constat-entretien': "Constater l'entretien",
  'compte-rendu': 'Saisir le compte rendu',
  'confirmation-famille': 'Enregistrer la confirmation de la famille',
  'saisie-affelnet': 'Enregistrer la saisie AFFELNET',
  'annulation-entretien': "Annuler l'entretien",
  desistement: 'Désister',
};

/** What the success alert says once an action is done. */
export const libellesFait: Record<Action, string> = {
  inscription: 'Élève inscrit',
  'avis-origine': "Avis d'origine enregistré",
  entretien: 'Entretien planifié : la convocation est envoyée',
  'constat-entretien': 'Entretien constaté',
  'compte-rendu': 'Compte rendu enregistré : les avis finaux sont calculés',
  'confirmation-famille': 'Confirmation de la famille enregistrée',
  'saisie-affelnet': 'Saisie AFFELNET enregistrée',
  'annulation-entretien': "Entretien annulé : l'annulation est envoyée, la candidature est de nouveau à planifier",
  desistement: 'Désistement enregistré',
};

/** A missing avis is a dash; an unknown code (a newer campaign) shows as itself. */
export function libelleAvisOuTiret(code: string | null | undefined): string {
  if (code === null || code === undefined) return '—';
  return isCodeAvis(code) ? libelleAvis(code) : code;
}
