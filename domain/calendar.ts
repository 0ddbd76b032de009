// Europe/Paris calendar arithmetic by hand: workflow code runs in a sandbox where the time-zone database
// is not to be relied on, and the EU summer-time rule is simple and stable.

/** A Paris calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;
/** A Paris wall-clock time, `HH:MM`. */
export type HeureParis = string;

const MINUTE = 60_000;
const JOUR = 86_400_000;

export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) return false;
  const utc = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return formatUtcDate(utc) === s;
}

export function isHeure(s: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(s);
}

function parseDate(date: IsoDate): [number, number, number] {
  if (!isIsoDate(date)) throw new Error(`date attendue au format AAAA-MM-JJ, reçu « ${date} »`);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function parseHeure(heure: HeureParis): [number, number] {
  if (!isHeure(heure)) throw new Error(`heure attendue au format HH:MM, reçu « ${heure} »`);
  return [Number(heure.slice(0, 2)), Number(heure.slice(3, 5))];
}

const deux = (n: number) => String(n).padStart(2, '0');

function formatUtcDate(d: Date): IsoDate {
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${deux(d.getUTCMonth() + 1)}-${deux(d.getUTCDate())}`;
}

/** Instant (ms) of 01:00 UTC on the last Sunday of a month: when the EU changes time. */
function changementHeure(annee: number, mois0: number): number {
  const dernierJour = new Date(Date.UTC(annee, mois0 + 1, 0));
  return Date.UTC(annee, mois0, dernierJour.getUTCDate() - dernierJour.getUTCDay(), 1);
}

/** UTC+2 from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC, else UTC+1. */
export function parisOffsetMinutes(instant: Date): 60 | 120 {
  const t = instant.getTime();
  const annee = instant.getUTCFullYear();
  return t >= changementHeure(annee, 2) && t < changementHeure(annee, 9) ? 120 : 60;
}

function heureMurale(instant: Date): Date {
  return new Date(instant.getTime() + parisOffsetMinutes(instant) * MINUTE);
}

export function parisDateOf(instant: Date): IsoDate {
  return formatUtcDate(heureMurale(instant));
}

export function parisTimeOf(instant: Date): HeureParis {
  const mural = heureMurale(instant);
  return `${deux(mural.getUTCHours())}:${deux(mural.getUTCMinutes())}`;
}

/**
 * The instant of a Paris wall-clock time. Both possible offsets are tried; a time that does not exist
 * (02:00–02:59 on the spring-forward Sunday) is moved forward by the hour that was skipped (02:30 → 03:30),
 * so a reminder set then still falls that morning; a time that occurs twice (the autumn 02:00–02:59) is
 * the first occurrence, so nothing falls late.
 */
export function parisInstant(date: IsoDate, time: HeureParis = '00:00'): Date {
  const [annee, mois, jour] = parseDate(date);
  const [heures, minutes] = parseHeure(time);
  const mural = Date.UTC(annee, mois - 1, jour, heures, minutes);
  const ete = new Date(mural - 120 * MINUTE);
  if (parisOffsetMinutes(ete) === 120) return ete;
  return new Date(mural - 60 * MINUTE);
}

/** The last millisecond of a Paris day: an inclusive deadline ("jusqu'au 13 avril inclus"). */
export function endOfParisDay(date: IsoDate): Date {
  return new Date(parisInstant(addDays(date, 1)).getTime() - 1);
}

/** Calendar days, independent of summer time. */
export function addDays(date: IsoDate, n: number): IsoDate {
  const [annee, mois, jour] = parseDate(date);
  return formatUtcDate(new Date(Date.UTC(annee, mois - 1, jour) + n * JOUR));
}

/** 0 = Sunday … 6 = Saturday, as `Date.getDay`. */
export function dayOfWeek(date: IsoDate): 0 | 1 | 2 | 3 | 4 | 5 | 6 {
  const [annee, mois, jour] = parseDate(date);
  return new Date(Date.UTC(annee, mois - 1, jour)).getUTCDay() as 0 | 1 | 2 | 3 | 4 | 5 | 6;
}

/** Easter Sunday, anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function paques(annee: number): IsoDate {
  const a = annee % 19;
  const b = Math.floor(annee / 100);
  const c = annee % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const mois = Math.floor((h + l - 7 * m + 114) / 31);
  const jour = ((h + l - 7 * m + 114) % 31) + 1;
  return `${String(annee).padStart(4, '0')}-${deux(mois)}-${deux(jour)}`;
}

export interface JourFerie {
  date: IsoDate;
  nom: string;
}

/** The eleven national public holidays (Code du travail, art. L3133-1), in date order. */
export function joursFeries(annee: number): JourFerie[] {
  const fixe = (mmjj: string) => `${String(annee).padStart(4, '0')}-${mmjj}`;
  const dimanchePaques = paques(annee);
  return [
    { date: fixe('01-01'), nom: "Jour de l'an" },
    { date: addDays(dimanchePaques, 1), nom: 'Lundi de Pâques' },
    { date: fixe('05-01'), nom: 'Fête du Travail' },
    { date: fixe('05-08'), nom: 'Victoire 1945' },
    { date: addDays(dimanchePaques, 39), nom: 'Ascension' },
    { date: addDays(dimanchePaques, 50), nom: 'Lundi de Pentecôte' },
    { date: fixe('07-14'), nom: 'Fête nationale' },
    { date: fixe('08-15'), nom: 'Assomption' },
    { date: fixe('11-01'), nom: 'Toussaint' },
    { date: fixe('11-11'), nom: 'Armistice 1918' },
    { date: fixe('12-25'), nom: 'Noël' },
  ].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

export function jourFerie(date: IsoDate): JourFerie | null {
  const [annee] = parseDate(date);
  return joursFeries(annee).find((j) => j.date === date) ?? null;
}

export function isJourFerie(date: IsoDate): boolean {
  return jourFerie(date) !== null;
}

export function isJourOuvre(date: IsoDate): boolean {
  const jour = dayOfWeek(date);
  return jour !== 0 && jour !== 6 && !isJourFerie(date);
}

const NOMS_JOURS = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];
const NOMS_MOIS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** A date as French readers write it, e.g. `mardi 1er mai 2018`. */
export function libelleDate(date: IsoDate): string {
  const [annee, mois, jour] = parseDate(date);
  return `${NOMS_JOURS[dayOfWeek(date)]} ${jour === 1 ? '1er' : jour} ${NOMS_MOIS[mois - 1]} ${annee}`;
}

export type Verification = { ok: true } | { ok: false; raison: string };

/** Interviews fall on working days; the SAIO may grant an explicit derogation. */
export function checkDateEntretien(date: IsoDate, options: { derogation?: boolean } = {}): Verification {
  if (options.derogation === true) return { ok: true };
  const ferie = jourFerie(date);
  if (ferie !== null) {
    return { ok: false, raison: `Le ${libelleDate(date)} est un jour férié (${ferie.nom}) : pas d'entretien ce jour-là sans dérogation.` };
  }
  const jour = dayOfWeek(date);
  if (jour === 0 || jour === 6) {
    return { ok: false, raison: `Le ${libelleDate(date)} tombe un week-end : pas d'entretien ce jour-là sans dérogation.` };
  }
  return { ok: true };
}
