import type { Campagne } from '../../domain/campaign';
import { campagnes } from '../../domain/campaigns';
import { parisDateOf, parisTimeOf } from '../../domain/calendar';
import {
  cloture,
  echeanceAffelnet,
  echeanceCompteRendu,
  echeanceEntretiens,
  echeanceFicheRecapitulative,
  echeanceInscription,
  escaladePlanification,
  finConservation,
  ouvertureInscriptions,
  rappelAffelnet,
  rappelCompteRendu,
  rappelPlanification,
  veilleEntretien,
} from '../../domain/deadlines';

const creteil2018 = campagnes['creteil-2018'];
const iso = (d: Date) => d.toISOString();

describe('échéances de campagne (Créteil 2018)', () => {
  it.each([
    ['ouverture des inscriptions', ouvertureInscriptions, '2018-01-29T23:00:00.000Z'],
    ['fin des inscriptions (13 avril inclus, heure d’été)', echeanceInscription, '2018-04-13T21:59:59.999Z'],
    ['fin des entretiens', echeanceEntretiens, '2018-05-11T21:59:59.999Z'],
    ['fiche récapitulative', echeanceFicheRecapitulative, '2018-05-23T21:59:59.999Z'],
    ['fin AFFELNET', echeanceAffelnet, '2018-05-23T21:59:59.999Z'],
    ['clôture', cloture, '2018-06-30T21:59:59.999Z'],
    ['rappel de planification (J-10, 8 h)', rappelPlanification, '2018-05-01T06:00:00.000Z'],
    ['escalade de planification (J-5, 8 h)', escaladePlanification, '2018-05-06T06:00:00.000Z'],
    ['rappel AFFELNET (J-3, 8 h)', rappelAffelnet, '2018-05-20T06:00:00.000Z'],
    ['fin de conservation (fin du 14e mois après la clôture : 31 août 2019)', finConservation, '2019-08-31T21:59:59.999Z'],
  ] as [string, (c: Campagne) => Date, string][])('%s : %s', (_nom, echeance, attendu) => {
    expect(iso(echeance(creteil2018))).toBe(attendu);
  });

  it("suit les délais de la campagne, pas des constantes", () => {
    const autre: Campagne = {
      ...creteil2018,
      delais: { ...creteil2018.delais, rappelPlanificationJoursAvant: 7, escaladePlanificationJoursAvant: 2, rappelAffelnetJoursAvant: 1, heureRappels: '17:30' },
    };
    expect(iso(rappelPlanification(autre))).toBe('2018-05-04T15:30:00.000Z');
    expect(iso(escaladePlanification(autre))).toBe('2018-05-09T15:30:00.000Z');
    expect(iso(rappelAffelnet(autre))).toBe('2018-05-22T15:30:00.000Z');
  });
});

describe("échéances d'une candidature", () => {
  it.each([
    // Interview in winter time, window ending in summer time: the change falls on 25 March.
    ['2018-03-22', '2018-03-24T07:00:00.000Z', '2018-03-25T21:59:59.999Z', '2018-03-21T07:00:00.000Z'],
    ['2018-03-23', '2018-03-25T06:00:00.000Z', '2018-03-26T21:59:59.999Z', '2018-03-22T07:00:00.000Z'],
    ['2018-03-26', '2018-03-28T06:00:00.000Z', '2018-03-29T21:59:59.999Z', '2018-03-25T06:00:00.000Z'],
    ['2018-05-09', '2018-05-11T06:00:00.000Z', '2018-05-12T21:59:59.999Z', '2018-05-08T06:00:00.000Z'],
    ['2018-10-26', '2018-10-28T07:00:00.000Z', '2018-10-29T22:59:59.999Z', '2018-10-25T06:00:00.000Z'],
  ])('entretien le %s : rappel %s, échéance du compte rendu %s, veille %s', (entretien, rappel, echeance, veille) => {
    expect(iso(rappelCompteRendu(creteil2018, entretien))).toBe(rappel);
    expect(iso(echeanceCompteRendu(creteil2018, entretien))).toBe(echeance);
    expect(iso(veilleEntretien(entretien, creteil2018))).toBe(veille);
  });

  it("à travers le changement d'heure, rappels à 08:00 et échéances à 23:59 heure de Paris", () => {
    for (const entretien of ['2018-03-21', '2018-03-22', '2018-03-23', '2018-03-24', '2018-03-25', '2018-03-26']) {
      expect(parisTimeOf(rappelCompteRendu(creteil2018, entretien))).toBe('08:00');
      expect(parisTimeOf(veilleEntretien(entretien, creteil2018))).toBe('08:00');
      const echeance = echeanceCompteRendu(creteil2018, entretien);
      expect(parisTimeOf(echeance)).toBe('23:59');
      expect(parisDateOf(echeance)).toBe(`2018-03-${Number(entretien.slice(8)) + 3}`);
    }
  });
});

describe.each(Object.keys(campagnes))('%s : les échéances se suivent', (id) => {
  const c = campagnes[id];

  it('inscription, entretiens, fiche, clôture', () => {
    const suite = [ouvertureInscriptions(c), echeanceInscription(c), echeanceEntretiens(c), echeanceFicheRecapitulative(c), cloture(c)];
    expect(suite.map(iso)).toEqual([...suite].sort((a, b) => a.getTime() - b.getTime()).map(iso));
  });

  it('rappel puis escalade avant la fin des entretiens, rappel AFFELNET avant sa fin', () => {
    expect(rappelPlanification(c).getTime()).toBeLessThan(escaladePlanification(c).getTime());
    expect(escaladePlanification(c).getTime()).toBeLessThan(echeanceEntretiens(c).getTime());
    expect(rappelAffelnet(c).getTime()).toBeLessThan(echeanceAffelnet(c).getTime());
    expect(echeanceAffelnet(c).getTime()).toBeLessThanOrEqual(cloture(c).getTime());
  });

  it("le compte rendu du dernier entretien est dû avant la clôture", () => {
    const dernier = c.calendrier.finEntretiens;
    expect(rappelCompteRendu(c, dernier).getTime()).toBeLessThan(echeanceCompteRendu(c, dernier).getTime());
    expect(echeanceCompteRendu(c, dernier).getTime()).toBeLessThanOrEqual(cloture(c).getTime());
  });
});

describe('fin de conservation', () => {
  it('tombe à la fin du mois, en hiver comme en été, et passe le changement d’année', () => {
    const avec = (cloture: string, moisApresCloture: number) =>
      iso(finConservation({ ...creteil2018, calendrier: { ...creteil2018.calendrier, cloture }, conservation: { moisApresCloture } }));
    expect(avec('2027-06-30', 14)).toBe('2028-08-31T21:59:59.999Z');
    expect(avec('2021-05-28', 1)).toBe('2021-06-30T21:59:59.999Z');
    expect(avec('2023-06-30', 6)).toBe('2023-12-31T22:59:59.999Z');
    expect(avec('2023-11-15', 3)).toBe('2024-02-29T22:59:59.999Z');
  });
});
