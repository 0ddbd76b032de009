// The dated consequences of a campagne and a candidature's facts, as instants: the workflow's timers and
// the API's "en retard" both read them here. Deadlines end a Paris day (inclusive); reminders fall at the
// campaign's Paris hour, so summer time never moves either.
import type { Campagne } from './campaign';
import { addDays, endOfParisDay, parisInstant, type IsoDate } from './calendar';

const rappelLe = (c: Campagne, date: IsoDate) => parisInstant(date, c.delais.heureRappels);

/** Start of registrations: 00:00 Paris on the opening day. */
export function ouvertureInscriptions(c: Campagne): Date {
  return parisInstant(c.calendrier.ouvertureInscriptions);
}

/** Last moment to register a pupil (who must then be convoked). */
export function echeanceInscription(c: Campagne): Date {
  return endOfParisDay(c.calendrier.finInscriptions);
}

/** Last moment an interview may be held. */
export function echeanceEntretiens(c: Campagne): Date {
  return endOfParisDay(c.calendrier.finEntretiens);
}

/** Reminder to the lycée for a candidature still without an interview date. */
export function rappelPlanification(c: Campagne): Date {
  return rappelLe(c, addDays(c.calendrier.finEntretiens, -c.delais.rappelPlanificationJoursAvant));
}

/** Escalation to the SAIO for a candidature still without an interview date. */
export function escaladePlanification(c: Campagne): Date {
  return rappelLe(c, addDays(c.calendrier.finEntretiens, -c.delais.escaladePlanificationJoursAvant));
}

/** The day before the interview: last reminder to the origin head for a missing avis d'origine. */
export function veilleEntretien(dateEntretien: IsoDate, c: Campagne): Date {
  return rappelLe(c, addDays(dateEntretien, -1));
}

/** Reminder to the lycée for a compte rendu / avis d'accueil not yet entered. */
export function rappelCompteRendu(c: Campagne, dateEntretien: IsoDate): Date {
  return rappelLe(c, addDays(dateEntretien, c.delais.rappelCompteRenduJours));
}

/** End of the window for compte rendu and avis d'accueil, in calendar days after the interview ("dans les 3 jours"). */
export function echeanceCompteRendu(c: Campagne, dateEntretien: IsoDate): Date {
  return endOfParisDay(addDays(dateEntretien, c.delais.compteRenduJours));
}

export function echeanceFicheRecapitulative(c: Campagne): Date {
  return endOfParisDay(c.calendrier.finFicheRecapitulative);
}

/** Reminder to the origin school for a vœu not yet confirmed and entered in AFFELNET. */
export function rappelAffelnet(c: Campagne): Date {
  return rappelLe(c, addDays(c.calendrier.finAffelnet, -c.delais.rappelAffelnetJoursAvant));
}

/** Confirmation and vœu entry after this instant earn no bonus. */
export function echeanceAffelnet(c: Campagne): Date {
  return endOfParisDay(c.calendrier.finAffelnet);
}

/** Every candidature still open ends then. */
export function cloture(c: Campagne): Date {
  return endOfParisDay(c.calendrier.cloture);
}

/**
 * The campaign's personal data is kept until this instant (campaign data `conservation`): the end of the last
 * day of the `moisApresCloture`-th month after the closure's month, Paris time.
 */
export function finConservation(c: Campagne): Date {
  const [annee, mois] = c.calendrier.cloture.split('-').map(Number);
  const rang = annee * 12 + (mois - 1) + c.conservation.moisApresCloture;
  // The month after the last kept one, its first day: the day before is the last kept.
  const suivant = rang + 1;
  const premier = `${Math.floor(suivant / 12)}-${String((suivant % 12) + 1).padStart(2, '0')}-01` as IsoDate;
  return endOfParisDay(addDays(premier, -1));
}

/** How long the access journal keeps its rows (CNIL: six months to a year for access logs). */
export const CONSERVATION_JOURNAL_MOIS = 12;

/** The access journal's rows older than this instant are past their retention at `maintenant`. */
export function limiteJournal(maintenant: Date): Date {
  const limite = new Date(maintenant.getTime());
  limite.setUTCMonth(limite.getUTCMonth() - CONSERVATION_JOURNAL_MOIS);
  return limite;
}
