// The créneaux' pure rules: which slots a series makes, which times a créneau may take, when two interviews clash.
import { campagnes } from '../../domain/campaigns';
import { chevauche, CreneauRefuse, creneauxDeSerie, intervalle, verifierHoraire } from '../../domain/creneaux';

const campagne = campagnes['creteil-2027'];
const avant = new Date('2027-01-04T08:00:00Z');
const serie = { du: '2027-03-29', au: '2027-04-09', jours: [3], debut: '14:00', fin: '17:00', dureeMinutes: 20 };

describe('creneauxDeSerie', () => {
  it('makes back-to-back créneaux on the chosen weekdays, the last ending by the end', () => {
    const horaires = creneauxDeSerie(serie, campagne, avant);
    expect([...new Set(horaires.map((h) => h.date))]).toEqual(['2027-03-31', '2027-04-07']);
    expect(horaires.filter((h) => h.date === '2027-03-31').map((h) => h.heure)).toEqual(['14:00', '14:20', '14:40', '15:00', '15:20', '15:40', '16:00', '16:20', '16:40']);
  });

  it('skips weekends, public holidays (Easter Monday, Ascension) and days outside the interviews', () => {
    const jours = (s: Partial<typeof serie>) => [...new Set(creneauxDeSerie({ ...serie, ...s }, campagne, avant).map((h) => h.date))];
    expect(jours({ du: '2027-03-27', au: '2027-03-30', jours: [0, 1, 2, 6] })).toEqual(['2027-03-30']);
    expect(jours({ du: '2027-05-05', au: '2027-05-28', jours: [4] })).toEqual(['2027-05-13', '2027-05-20']);
  });

  it('leaves out créneaux already begun', () => {
    const horaires = creneauxDeSerie({ ...serie, du: '2027-03-31', au: '2027-03-31' }, campagne, new Date('2027-03-31T13:10:00Z'));
    expect(horaires[0].heure).toBe('15:20');
  });

  it.each([
    [{ au: '2027-03-01' }, 'au'],
    [{ fin: '14:10' }, 'fin'],
    [{ jours: [] }, 'jours'],
    [{ jours: [0, 6] }, 'du'],
    [{ au: '2028-03-01' }, 'au'],
  ])('refuses %j, naming the field %s', (s, champ) => {
    expect(() => creneauxDeSerie({ ...serie, ...s }, campagne, avant)).toThrow(expect.objectContaining({ champ }) as CreneauRefuse);
  });
});

describe('verifierHoraire', () => {
  it.each([
    [{ date: '2027-04-10' }, 'date', 'week-end'],
    [{ date: '2027-05-06' }, 'date', 'férié'],
    [{ date: '2027-05-24' }, 'date', 'du 2026-11-16 au 2027-05-21'],
    [{ dureeMinutes: 2 }, 'dureeMinutes', 'durée'],
    [{ heure: '23:50' }, 'dureeMinutes', 'le jour même'],
  ])('refuses %j', (h, champ, message) => {
    expect(() => verifierHoraire({ date: '2027-04-07', heure: '14:00', dureeMinutes: 20, ...h }, campagne, avant)).toThrow(
      expect.objectContaining({ champ, message: expect.stringContaining(message) }) as CreneauRefuse,
    );
  });

  it('refuses a créneau already begun', () => {
    expect(() => verifierHoraire({ date: '2027-04-07', heure: '14:00', dureeMinutes: 20 }, campagne, new Date('2027-04-07T12:00:00Z'))).toThrow('déjà passé');
  });
});

describe('chevauche', () => {
  const a = intervalle({ date: '2027-04-07', heure: '14:00', dureeMinutes: 20 });
  it.each([
    ['14:10', 0, true],
    ['14:20', 0, false],
    ['15:00', 60, true],
    ['15:20', 60, false],
    ['12:50', 60, true],
    ['12:40', 60, false],
  ])('an interview at %s, %i minutes of travel: %s', (heure, marge, attendu) => {
    const b = intervalle({ date: '2027-04-07', heure, dureeMinutes: 20 });
    expect(chevauche(a, b, marge)).toBe(attendu);
    expect(chevauche(b, a, marge)).toBe(attendu);
  });

  it('reads Paris time across the change to summer time', () => {
    expect(intervalle({ date: '2027-03-29', heure: '14:00', dureeMinutes: 20 }).debut.toISOString()).toBe('2027-03-29T12:00:00.000Z');
    expect(intervalle({ date: '2027-03-26', heure: '14:00', dureeMinutes: 20 }).debut.toISOString()).toBe('2027-03-26T13:00:00.000Z');
  });
});
