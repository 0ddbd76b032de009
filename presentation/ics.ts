// The interview as an iCalendar object (RFC 5545) with an iTIP method (RFC 5546), attached to the
// convocation (REQUEST) and to its cancellation (CANCEL), so that the interview lands in the schools'
// calendars and leaves them again. Pure and deterministic: the same input gives the same bytes, so a
// resent mail carries the same invitation.

export interface EntretienCalendrier {
  /** Stable for the interview across changes: clients match REQUEST and CANCEL by it. */
  uid: string;
  /** Must grow at every change, and a CANCEL must carry more than the last REQUEST, or clients ignore it. */
  sequence: number;
  methode: 'REQUEST' | 'CANCEL';
  debut: Date;
  dureeMinutes: number;
  lieu: string;
  resume: string;
  description: string;
  /** E-mail address. */
  organisateur: string;
  /** E-mail addresses. */
  participants: string[];
  /** DTSTAMP: when the invitation was created (taken from the outbox row, not the clock, so a resend is identical). */
  horodatage: Date;
}

const CRLF = '\r\n';
const LIGNE_MAX_OCTETS = 75;

/** TEXT values (RFC 5545 §3.3.11): backslash first, then the separators, and every line break as `\n`. */
export function echapperTexte(valeur: string): string {
  return valeur
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Folds a content line at 75 octets (RFC 5545 §3.1): continuation lines start with one space, which
 * counts in their 75. Cuts fall between code points, never inside a UTF-8 sequence.
 */
export function plierLigne(ligne: string): string {
  const lignes: string[] = [];
  let courante = '';
  let octets = 0;
  for (const caractere of ligne) {
    const taille = Buffer.byteLength(caractere, 'utf8');
    if (octets + taille > LIGNE_MAX_OCTETS) {
      lignes.push(courante);
      courante = ' ';
      octets = 1;
    }
    courante += caractere;
    octets += taille;
  }
  lignes.push(courante);
  return lignes.join(CRLF);
}

/** UTC date-time form (`19980119T070000Z`): no time-zone definition needed in the object. */
function dateUtc(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new Error("date invalide dans l'invitation calendrier");
  return instant.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

function mailto(adresse: string): string {
  if (!/^[^\s<>"@:;,]+@[^\s<>"@:;,]+$/.test(adresse)) throw new Error(`adresse e-mail invalide dans l'invitation calendrier : « ${adresse} »`);
  return `mailto:${adresse}`;
}

export function calendrierEntretien(p: EntretienCalendrier): string {
  if (!Number.isInteger(p.dureeMinutes) || p.dureeMinutes <= 0) {
    throw new Error(`durée d'entretien invalide : ${p.dureeMinutes} minutes`);
  }
  if (!Number.isInteger(p.sequence) || p.sequence < 0) throw new Error(`SEQUENCE invalide : ${p.sequence}`);
  const fin = new Date(p.debut.getTime() + p.dureeMinutes * 60_000);
  // RSVP=FALSE: Passpro does not read replies; a pupil who will not come is reported in Passpro (the interview
  // cancelled, or a désistement).
  const participants = p.participants.map((adresse) => `ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:${mailto(adresse)}`);
  const lignes = [
    'BEGIN:VCALENDAR',
    'PRODID:-//Passpro//Entretiens//FR',
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${p.methode}`,
    'BEGIN:VEVENT',
    `UID:${echapperTexte(p.uid)}`,
    `SEQUENCE:${p.sequence}`,
    `DTSTAMP:${dateUtc(p.horodatage)}`,
    `DTSTART:${dateUtc(p.debut)}`,
    `DTEND:${dateUtc(fin)}`,
    `SUMMARY:${echapperTexte(p.resume)}`,
    `LOCATION:${echapperTexte(p.lieu)}`,
    `DESCRIPTION:${echapperTexte(p.description)}`,
    `ORGANIZER:${mailto(p.organisateur)}`,
    ...participants,
    `STATUS:${p.methode === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lignes.map(plierLigne).join(CRLF) + CRLF;
}

/** One interview of a school's calendar feed. */
export type EvenementFlux = Pick<EntretienCalendrier, 'uid' | 'sequence' | 'debut' | 'dureeMinutes' | 'lieu' | 'resume' | 'description' | 'horodatage'>;

/**
 * A school's interviews as a subscribed calendar (PUBLISH, RFC 5546): the same UID and SEQUENCE as the
 * convocations' invitations, so that a calendar holding both shows each interview once.
 */
export function calendrierFlux(nom: string, evenements: EvenementFlux[]): string {
  const lignes = ['BEGIN:VCALENDAR', 'PRODID:-//Passpro//Entretiens//FR', 'VERSION:2.0', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${echapperTexte(nom)}`];
  for (const e of evenements) {
    lignes.push(
      'BEGIN:VEVENT',
      `UID:${echapperTexte(e.uid)}`,
      `SEQUENCE:${e.sequence}`,
      `DTSTAMP:${dateUtc(e.horodatage)}`,
      `DTSTART:${dateUtc(e.debut)}`,
      `DTEND:${dateUtc(new Date(e.debut.getTime() + e.dureeMinutes * 60_000))}`,
      `SUMMARY:${echapperTexte(e.resume)}`,
      `LOCATION:${echapperTexte(e.lieu)}`,
      `DESCRIPTION:${echapperTexte(e.description)}`,
      'STATUS:CONFIRMED',
      'END:VEVENT',
    );
  }
  lignes.push('END:VCALENDAR');
  return lignes.map(plierLigne).join(CRLF) + CRLF;
}
