// A lycée's interview slots (créneaux) as pure rules: when one may be held, the créneaux of a series, and
// whether two of a pupil's interviews leave time to travel between them. The places themselves are in the
// database (api/creneaux.ts): they are the lycée's shared state, not one candidature's.
import { addDays, checkDateEntretien, dayOfWeek, isHeure, isIsoDate, parisInstant, type IsoDate } from './calendar';
import type { Campagne } from './campaign';

/** An interview's length when nobody gives one (typed by hand without it): what its invitation books. */
export const DUREE_ENTRETIEN_MINUTES = 30;
/** The lengths a créneau or an interview may have. */
export const dureeMinutesAdmise = { min: 5, max: 480 } as const;

/** A créneau's time and length, as the lycée publishes it. */
export interface Horaire {
  date: IsoDate;
  heure: string;
  dureeMinutes: number;
}

/** A series: every `jours` (0 = Sunday … 6 = Saturday) from `du` to `au`, créneaux of `dureeMinutes` from `debut` to `fin`. */
export interface Serie {
  du: IsoDate;
  au: IsoDate;
  jours: number[];
  debut: string;
  fin: string;
  dureeMinutes: number;
}

/** A rule a créneau breaks, with the field concerned. */
export class CreneauRefuse extends Error {
  constructor(
    message: string,
    readonly champ: string,
  ) {
    super(message);
    this.name = 'CreneauRefuse';
  }
}

const minutesDe = (heure: string) => Number(heure.slice(0, 2)) * 60 + Number(heure.slice(3, 5));
const heureDe = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The instants a créneau runs between (Paris wall time, summer time included). */
export function intervalle({ date, heure, dureeMinutes }: Horaire): { debut: Date; fin: Date } {
  const debut = parisInstant(date, heure);
  return { debut, fin: new Date(debut.getTime() + dureeMinutes * 60_000) };
}

/**
 * Refuses a créneau no convocation could be sent for: outside the campaign's interviews, on a weekend or a
 * public holiday, already begun, or ending after midnight.
 */
export function verifierHoraire(h: Horaire, campagne: Campagne, now: Date): void {
  if (!isIsoDate(h.date)) throw new CreneauRefuse('date attendue au format AAAA-MM-JJ', 'date');
  if (!isHeure(h.heure)) throw new CreneauRefuse('heure attendue au format HH:MM', 'heure');
  if (!Number.isInteger(h.dureeMinutes) || h.dureeMinutes < dureeMinutesAdmise.min || minutesDe(h.heure) + h.dureeMinutes > 24 * 60) {
    throw new CreneauRefuse(`la durée, de ${dureeMinutesAdmise.min} minutes au moins, doit finir le jour même`, 'dureeMinutes');
  }
  const jour = checkDateEntretien(h.date);
  if (!jour.ok) throw new CreneauRefuse(jour.raison, 'date');
  const { ouvertureInscriptions, finEntretiens } = campagne.calendrier;
  if (h.date < ouvertureInscriptions || h.date > finEntretiens) {
    throw new CreneauRefuse(`les entretiens se tiennent du ${ouvertureInscriptions} au ${finEntretiens}`, 'date');
  }
  if (parisInstant(h.date, h.heure).getTime() <= now.getTime()) throw new CreneauRefuse('ce créneau est déjà passé', 'heure');
}

/** A series spans at most this many days: a campaign's interviews last a few months. */
const JOURS_MAX = 200;

/**
 * The créneaux of a series, in time order: back to back from `debut`, the last one ending by `fin`, on each
 * chosen weekday that is neither a weekend nor a public holiday, and not yet begun.
 */
export function creneauxDeSerie(s: Serie, campagne: Campagne, now: Date): Horaire[] {
  if (!isIsoDate(s.du)) throw new CreneauRefuse('date attendue au format AAAA-MM-JJ', 'du');
  if (!isIsoDate(s.au)) throw new CreneauRefuse('date attendue au format AAAA-MM-JJ', 'au');
  if (s.au < s.du) throw new CreneauRefuse('la série finit avant de commencer', 'au');
  if (addDays(s.du, JOURS_MAX) < s.au) throw new CreneauRefuse(`une série couvre ${JOURS_MAX} jours au plus`, 'au');
  if (!isHeure(s.debut)) throw new CreneauRefuse('heure attendue au format HH:MM', 'debut');
  if (!isHeure(s.fin)) throw new CreneauRefuse('heure attendue au format HH:MM', 'fin');
  if (minutesDe(s.fin) - minutesDe(s.debut) < s.dureeMinutes) {
    throw new CreneauRefuse('la plage horaire est plus courte qu\'un créneau', 'fin');
  }
  if (s.jours.length === 0 || s.jours.some((j) => !Number.isInteger(j) || j < 0 || j > 6)) {
    throw new CreneauRefuse('jours attendus de 0 (dimanche) à 6 (samedi)', 'jours');
  }
  const horaires: Horaire[] = [];
  for (let date = s.du; date <= s.au; date = addDays(date, 1)) {
    if (!s.jours.includes(dayOfWeek(date)) || !checkDateEntretien(date).ok) continue;
    if (date < campagne.calendrier.ouvertureInscriptions || date > campagne.calendrier.finEntretiens) continue;
    for (let m = minutesDe(s.debut); m + s.dureeMinutes <= minutesDe(s.fin); m += s.dureeMinutes) {
      const h = { date, heure: heureDe(m), dureeMinutes: s.dureeMinutes };
      if (parisInstant(date, h.heure).getTime() > now.getTime()) horaires.push(h);
    }
  }
  if (horaires.length === 0) throw new CreneauRefuse('aucun jour ouvré de la campagne dans cette série', 'du');
  return horaires;
}

/** Whether two interviews overlap once the pupil's travel between them is counted. */
export function chevauche(a: { debut: Date; fin: Date }, b: { debut: Date; fin: Date }, margeMinutes: number): boolean {
  const marge = margeMinutes * 60_000;
  return a.debut.getTime() < b.fin.getTime() + marge && b.debut.getTime() < a.fin.getTime() + marge;
}
