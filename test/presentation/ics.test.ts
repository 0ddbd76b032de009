// The calendar invitation attached to convocations: exact bytes (clients are strict), TEXT escaping,
// folding at 75 octets without ever cutting a UTF-8 character, and the cancellation.
import { calendrierEntretien, echapperTexte, plierLigne, type EntretienCalendrier } from '../../presentation/ics';
import { parisInstant } from '../../domain/calendar';

const CRLF = '\r\n';

function invitation(overrides: Partial<EntretienCalendrier> = {}): EntretienCalendrier {
  return {
    uid: 'passpro:creteil-2018:123456789AB:metallerie@passpro',
    sequence: 1,
    methode: 'REQUEST',
    // 14:00 in Paris on 10 April 2018 is summer time: 12:00 UTC.
    debut: parisInstant('2018-04-10', '14:00'),
    dureeMinutes: 30,
    lieu: 'Lycée Jean Macé, atelier B12',
    resume: 'Entretien Passpro — Métallerie — Léa Martin',
    description: "Entretien d'information Passpro (Métallerie) au lycée 0940134K.",
    organisateur: 'ce.0940134k@ac-creteil.fr',
    participants: ['ce.0931234l@ac-creteil.fr', 'pp.durand@ac-creteil.fr'],
    horodatage: new Date('2018-04-03T08:15:30.123Z'),
    ...overrides,
  };
}

/** RFC 5545 §3.1: a CRLF followed by one space or tab is removed. */
const deplier = (ics: string) => ics.replace(/\r\n[ \t]/g, '');

function propriete(ics: string, nom: string): string[] {
  return deplier(ics)
    .split(CRLF)
    .filter((l) => l.startsWith(`${nom}:`) || l.startsWith(`${nom};`));
}

describe('calendar invitation (RFC 5545)', () => {
  it('writes the exact invitation, CRLF-terminated, times in UTC', () => {
    expect(calendrierEntretien(invitation())).toBe(
      [
        'BEGIN:VCALENDAR',
        'PRODID:-//Passpro//Entretiens//FR',
        'VERSION:2.0',
        'CALSCALE:GREGORIAN',
        'METHOD:REQUEST',
        'BEGIN:VEVENT',
        'UID:passpro:creteil-2018:123456789AB:metallerie@passpro',
        'SEQUENCE:1',
        'DTSTAMP:20180403T081530Z',
        'DTSTART:20180410T120000Z',
        'DTEND:20180410T123000Z',
        'SUMMARY:Entretien Passpro — Métallerie — Léa Martin',
        'LOCATION:Lycée Jean Macé\\, atelier B12',
        "DESCRIPTION:Entretien d'information Passpro (Métallerie) au lycée 0940134",
        ' K.',
        'ORGANIZER:mailto:ce.0940134k@ac-creteil.fr',
        'ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:ce.0931234l@ac-creteil.fr',
        'ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:pp.durand@ac-creteil.fr',
        'STATUS:CONFIRMED',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join(CRLF),
    );
  });

  it('is deterministic: DTSTAMP comes from the given timestamp, not the clock', () => {
    expect(calendrierEntretien(invitation())).toBe(calendrierEntretien(invitation()));
  });

  it('keeps the wall-clock hour across the change to summer time', () => {
    // 26 March 2018, the day after the change: 09:00 Paris is 07:00 UTC (it was 08:00 UTC the week before).
    const ics = calendrierEntretien(invitation({ debut: parisInstant('2018-03-26', '09:00'), dureeMinutes: 45 }));
    expect(propriete(ics, 'DTSTART')).toEqual(['DTSTART:20180326T070000Z']);
    expect(propriete(ics, 'DTEND')).toEqual(['DTEND:20180326T074500Z']);
  });

  it('escapes backslash, semicolon, comma and line breaks in TEXT values', () => {
    expect(echapperTexte('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    const ics = calendrierEntretien(
      invitation({ lieu: 'Salle 3; bâtiment C, RDC', description: 'Ligne 1\nLigne 2, avec C:\\chemin', resume: 'Entretien; Métallerie' }),
    );
    expect(propriete(ics, 'LOCATION')).toEqual(['LOCATION:Salle 3\\; bâtiment C\\, RDC']);
    expect(propriete(ics, 'DESCRIPTION')).toEqual(['DESCRIPTION:Ligne 1\\nLigne 2\\, avec C:\\\\chemin']);
    expect(propriete(ics, 'SUMMARY')).toEqual(['SUMMARY:Entretien\\; Métallerie']);
    // No raw line break may survive inside a value: every physical line ends with CRLF.
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('folds a long French description at 75 octets without splitting a character', () => {
    const description =
      "Entretien d'information au lycée professionnel : présentez-vous à l'accueil du bâtiment « Métiers de " +
      "l'électricité » dix minutes avant l'heure, muni de la fiche de préparation complétée. Élève accompagné " +
      'si possible ; aucun bulletin scolaire n’est demandé. Accès : RER A, arrêt « Créteil–Préfecture », ' +
      'puis bus 117 — 😀 — ÉÈÊËÀÂÎÏÔÛÙÇ éèêëàâîïôûùç ŒœÆæ.';
    const ics = calendrierEntretien(invitation({ description }));
    expect(ics.endsWith(CRLF)).toBe(true);
    const lignes = ics.slice(0, -CRLF.length).split(CRLF);
    for (const ligne of lignes) {
      expect(Buffer.byteLength(ligne, 'utf8')).toBeLessThanOrEqual(75);
      // A cut inside a multi-byte sequence would leave a replacement character after a UTF-8 round trip.
      expect(Buffer.from(ligne, 'utf8').toString('utf8')).toBe(ligne);
      expect(ligne).not.toMatch(/[\uD800-\uDBFF]$|^ ?[\uDC00-\uDFFF]/);
    }
    const suites = lignes.filter((l) => l.startsWith(' '));
    expect(suites.length).toBeGreaterThan(3);
    expect(propriete(ics, 'DESCRIPTION')).toEqual([`DESCRIPTION:${echapperTexte(description)}`]);
  });

  it('fills each folded line to the limit, counting octets rather than characters', () => {
    const ligne = `DESCRIPTION:${'é'.repeat(100)}`;
    const plie = plierLigne(ligne).split(CRLF);
    // 'DESCRIPTION:' is 12 octets, each 'é' 2: 12 + 2×31 = 74, a 32nd would make 76.
    expect(plie[0]).toBe(`DESCRIPTION:${'é'.repeat(31)}`);
    expect(plie[1]).toBe(` ${'é'.repeat(37)}`);
    expect(plie.map((l) => Buffer.byteLength(l))).toEqual([74, 75, 65]);
    expect(plie.join(CRLF).replace(/\r\n /g, '')).toBe(ligne);
    expect(plierLigne('SEQUENCE:1')).toBe('SEQUENCE:1');
  });

  it('writes a cancellation: METHOD:CANCEL, STATUS:CANCELLED, same UID, higher SEQUENCE', () => {
    const ics = calendrierEntretien(invitation({ methode: 'CANCEL', sequence: 2 }));
    expect(propriete(ics, 'METHOD')).toEqual(['METHOD:CANCEL']);
    expect(propriete(ics, 'STATUS')).toEqual(['STATUS:CANCELLED']);
    expect(propriete(ics, 'UID')).toEqual(['UID:passpro:creteil-2018:123456789AB:metallerie@passpro']);
    expect(propriete(ics, 'SEQUENCE')).toEqual(['SEQUENCE:2']);
    expect(propriete(ics, 'ATTENDEE')).toHaveLength(2);
    expect(propriete(ics, 'ORGANIZER')).toEqual(['ORGANIZER:mailto:ce.0940134k@ac-creteil.fr']);
  });

  it('refuses what would produce a broken invitation', () => {
    expect(() => calendrierEntretien(invitation({ dureeMinutes: 0 }))).toThrow(/durée/);
    expect(() => calendrierEntretien(invitation({ debut: new Date('invalide') }))).toThrow(/date invalide/);
    expect(() => calendrierEntretien(invitation({ participants: ['pas une adresse'] }))).toThrow(/adresse e-mail invalide/);
  });
});
