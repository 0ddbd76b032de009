import {
  addDays,
  checkDateEntretien,
  dayOfWeek,
  endOfParisDay,
  isHeure,
  isIsoDate,
  isJourFerie,
  isJourOuvre,
  joursFeries,
  libelleDate,
  paques,
  parisDateOf,
  parisInstant,
  parisOffsetMinutes,
  parisTimeOf,
} from '../../domain/calendar';

const instant = (iso: string) => new Date(iso);

describe('décalage de Paris', () => {
  it.each([
    ['2018-03-25T00:59:59.999Z', 60],
    ['2018-03-25T01:00:00.000Z', 120],
    ['2018-10-28T00:59:59.999Z', 120],
    ['2018-10-28T01:00:00.000Z', 60],
    ['2018-01-15T12:00:00Z', 60],
    ['2018-07-15T12:00:00Z', 120],
    ['2021-03-28T01:00:00Z', 120],
    ['2023-03-26T00:30:00Z', 60],
    ['2023-10-29T00:30:00Z', 120],
  ])('%s : UTC+%d min', (iso, decalage) => {
    expect(parisOffsetMinutes(instant(iso))).toBe(decalage);
  });

  // The hand-written rule must agree with the time-zone database (available to tests, not to workflows).
  it("coïncide avec la base de fuseaux pour chaque heure de 2017 à 2024", () => {
    const format = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Paris',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const ecarts: string[] = [];
    for (let t = Date.UTC(2017, 0, 1); t < Date.UTC(2025, 0, 1); t += 3_600_000 + 15 * 60_000) {
      const d = new Date(t);
      const p = Object.fromEntries(format.formatToParts(d).map((x) => [x.type, x.value]));
      const attendu = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
      const calcule = `${parisDateOf(d)} ${parisTimeOf(d)}`;
      if (calcule !== attendu) ecarts.push(`${d.toISOString()}: ${calcule} ≠ ${attendu}`);
    }
    expect(ecarts).toEqual([]);
  });
});

describe('heure murale → instant', () => {
  it.each([
    ['2018-03-20', '00:00', '2018-03-19T23:00:00.000Z'],
    ['2018-04-13', '08:00', '2018-04-13T06:00:00.000Z'],
    ['2018-03-25', '01:59', '2018-03-25T00:59:00.000Z'],
    ['2018-03-25', '03:00', '2018-03-25T01:00:00.000Z'],
    // 02:30 does not exist on the spring-forward Sunday: moved forward to 03:30 summer time.
    ['2018-03-25', '02:30', '2018-03-25T01:30:00.000Z'],
    // 02:30 happens twice on the autumn Sunday: the first (summer-time) occurrence.
    ['2018-10-28', '02:30', '2018-10-28T00:30:00.000Z'],
    ['2018-10-28', '03:00', '2018-10-28T02:00:00.000Z'],
  ])('%s %s Paris = %s', (date, heure, iso) => {
    expect(parisInstant(date, heure).toISOString()).toBe(iso);
  });

  it('minuit par défaut', () => {
    expect(parisInstant('2018-07-01').toISOString()).toBe('2018-06-30T22:00:00.000Z');
  });

  it("l'heure inexistante avance d'une heure", () => {
    const i = parisInstant('2018-03-25', '02:30');
    expect([parisDateOf(i), parisTimeOf(i)]).toEqual(['2018-03-25', '03:30']);
  });

  it('retrouve toute heure murale existante, à la minute près, autour des deux changements', () => {
    const ecarts: string[] = [];
    for (const date of ['2018-03-24', '2018-03-25', '2018-03-26', '2018-10-27', '2018-10-28', '2018-10-29']) {
      for (let m = 0; m < 24 * 60; m += 15) {
        const heure = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        if (date === '2018-03-25' && heure.startsWith('02:')) continue;
        const i = parisInstant(date, heure);
        if (parisDateOf(i) !== date || parisTimeOf(i) !== heure) ecarts.push(`${date} ${heure}`);
      }
    }
    expect(ecarts).toEqual([]);
  });

  it.each([
    ['2018-02-30', '00:00', 'AAAA-MM-JJ'],
    ['18-04-13', '00:00', 'AAAA-MM-JJ'],
    ['2018-04-13', '24:00', 'HH:MM'],
    ['2018-04-13', '8:00', 'HH:MM'],
  ])('refuse %s %s', (date, heure, message) => {
    expect(() => parisInstant(date, heure)).toThrow(message);
  });
});

describe('fin de journée à Paris (échéance inclusive)', () => {
  it.each([
    ['2018-03-20', '2018-03-20T22:59:59.999Z'],
    ['2018-04-13', '2018-04-13T21:59:59.999Z'],
    ['2018-03-24', '2018-03-24T22:59:59.999Z'],
    ['2018-03-25', '2018-03-25T21:59:59.999Z'],
    ['2018-10-28', '2018-10-28T22:59:59.999Z'],
    ['2018-12-31', '2018-12-31T22:59:59.999Z'],
  ])('%s finit à %s', (date, iso) => {
    expect(endOfParisDay(date).toISOString()).toBe(iso);
  });

  it("une échéance calculée par-dessus le changement d'heure reste à 23:59:59.999 Paris", () => {
    const debut = '2018-03-20';
    const echeance = endOfParisDay(addDays(debut, 24));
    expect(parisDateOf(echeance)).toBe('2018-04-13');
    expect(parisTimeOf(echeance)).toBe('23:59');
    // 24 calendar days, but one hour less in absolute time: the day of the change has 23 hours.
    expect(echeance.getTime() - endOfParisDay(debut).getTime()).toBe(24 * 86_400_000 - 3_600_000);
  });

  it("le jour du passage à l'heure d'été dure 23 heures, celui du retour 25", () => {
    const duree = (date: string) => endOfParisDay(date).getTime() + 1 - parisInstant(date).getTime();
    expect(duree('2018-03-25')).toBe(23 * 3_600_000);
    expect(duree('2018-10-28')).toBe(25 * 3_600_000);
    expect(duree('2018-04-13')).toBe(24 * 3_600_000);
  });
});

describe('jours du calendrier', () => {
  it.each([
    ['2018-04-13', 1, '2018-04-14'],
    ['2018-03-24', 2, '2018-03-26'],
    ['2018-02-28', 1, '2018-03-01'],
    ['2020-02-28', 1, '2020-02-29'],
    ['2018-12-31', 1, '2019-01-01'],
    ['2018-05-11', -10, '2018-05-01'],
    ['2018-01-01', -1, '2017-12-31'],
    ['2018-04-13', 0, '2018-04-13'],
  ])('%s + %d jours = %s', (date, n, attendu) => {
    expect(addDays(date, n)).toBe(attendu);
  });

  it.each([
    ['2018-03-25', 0],
    ['2018-04-13', 5],
    ['2018-05-12', 6],
    ['2018-05-14', 1],
  ])('%s est le jour %d de la semaine', (date, jour) => {
    expect(dayOfWeek(date)).toBe(jour);
  });

  it.each([
    ['2018-05-01', 'mardi 1er mai 2018'],
    ['2018-04-13', 'vendredi 13 avril 2018'],
    ['2021-08-15', 'dimanche 15 août 2021'],
  ])('%s se lit « %s »', (date, libelle) => {
    expect(libelleDate(date)).toBe(libelle);
  });

  it.each([
    ['2018-04-13', true],
    ['2018-02-29', false],
    ['2020-02-29', true],
    ['2018-4-13', false],
    ['2018-04-13T00:00', false],
  ])('isIsoDate(%s) = %s', (date, attendu) => {
    expect(isIsoDate(date)).toBe(attendu);
  });

  it.each([
    ['08:00', true],
    ['23:59', true],
    ['24:00', false],
    ['08:60', false],
    ['8:00', false],
  ])('isHeure(%s) = %s', (heure, attendu) => {
    expect(isHeure(heure)).toBe(attendu);
  });
});

describe('jours fériés', () => {
  it.each([
    [2008, '2008-03-23'],
    [2018, '2018-04-01'],
    [2019, '2019-04-21'],
    [2021, '2021-04-04'],
    [2022, '2022-04-17'],
    [2023, '2023-04-09'],
    [2024, '2024-03-31'],
    [2038, '2038-04-25'],
  ])('Pâques %d : %s', (annee, date) => {
    expect(paques(annee)).toBe(date);
  });

  it('2018 : les onze jours fériés, dans l’ordre', () => {
    expect(joursFeries(2018)).toEqual([
      { date: '2018-01-01', nom: "Jour de l'an" },
      { date: '2018-04-02', nom: 'Lundi de Pâques' },
      { date: '2018-05-01', nom: 'Fête du Travail' },
      { date: '2018-05-08', nom: 'Victoire 1945' },
      { date: '2018-05-10', nom: 'Ascension' },
      { date: '2018-05-21', nom: 'Lundi de Pentecôte' },
      { date: '2018-07-14', nom: 'Fête nationale' },
      { date: '2018-08-15', nom: 'Assomption' },
      { date: '2018-11-01', nom: 'Toussaint' },
      { date: '2018-11-11', nom: 'Armistice 1918' },
      { date: '2018-12-25', nom: 'Noël' },
    ]);
  });

  it.each([
    [2021, '2021-04-05', '2021-05-13', '2021-05-24'],
    [2023, '2023-04-10', '2023-05-18', '2023-05-29'],
  ])('%d : lundi de Pâques %s, Ascension %s, lundi de Pentecôte %s', (annee, lundiPaques, ascension, pentecote) => {
    const parNom = Object.fromEntries(joursFeries(annee).map((j) => [j.nom, j.date]));
    expect([parNom['Lundi de Pâques'], parNom['Ascension'], parNom['Lundi de Pentecôte']]).toEqual([lundiPaques, ascension, pentecote]);
  });

  it("2008 : l'Ascension tombe le 1er mai, la liste reste triée", () => {
    const dates = joursFeries(2008).map((j) => j.date);
    expect(dates).toEqual([...dates].sort());
    expect(dates.filter((d) => d === '2008-05-01')).toHaveLength(2);
  });

  it.each([
    ['2018-05-01', true, false],
    ['2018-05-08', true, false],
    ['2018-05-10', true, false],
    ['2018-05-21', true, false],
    ['2018-04-02', true, false],
    ['2018-05-02', false, true],
    ['2018-05-12', false, false],
    ['2018-05-13', false, false],
    ['2018-05-11', false, true],
  ])('%s : férié %s, ouvré %s', (date, ferie, ouvre) => {
    expect(isJourFerie(date)).toBe(ferie);
    expect(isJourOuvre(date)).toBe(ouvre);
  });
});

describe("date d'entretien", () => {
  it.each([
    ['2018-05-01', 'Fête du Travail'],
    ['2018-05-08', 'Victoire 1945'],
    ['2018-05-10', 'Ascension'],
    ['2018-04-02', 'Lundi de Pâques'],
  ])('refuse le %s, jour férié (%s)', (date, nom) => {
    const resultat = checkDateEntretien(date, {});
    expect(resultat.ok).toBe(false);
    expect(!resultat.ok && resultat.raison).toContain(`jour férié (${nom})`);
  });

  it('refuse un samedi et un dimanche', () => {
    expect(checkDateEntretien('2018-05-12', {})).toEqual({
      ok: false,
      raison: "Le samedi 12 mai 2018 tombe un week-end : pas d'entretien ce jour-là sans dérogation.",
    });
    expect(checkDateEntretien('2018-05-13').ok).toBe(false);
  });

  it('accepte un jour ouvré', () => {
    expect(checkDateEntretien('2018-05-02', {})).toEqual({ ok: true });
  });

  it.each(['2018-05-01', '2018-05-08', '2018-05-12'])('accepte le %s avec une dérogation', (date) => {
    expect(checkDateEntretien(date, { derogation: true })).toEqual({ ok: true });
  });

  it('une dérogation à false ne change rien', () => {
    expect(checkDateEntretien('2018-05-08', { derogation: false }).ok).toBe(false);
  });
});
