import { avisAccueilPrononceCodes, avisOrigineCodes, calculerAvisFinal } from '../../domain/avis';
import { calculerBonus } from '../../domain/campaign-rules';
import { campagnes } from '../../domain/campaigns';

const creteilMatrice = [
  { origine: 'favorable', accueil: 'favorable', final: 'tres_favorable' },
  { origine: 'favorable', accueil: 'assez_favorable', final: 'favorable' },
  { origine: 'assez_favorable', accueil: 'favorable', final: 'favorable' },
  { origine: 'assez_favorable', accueil: 'assez_favorable', final: 'assez_favorable' },
  { origine: 'favorable', accueil: 'reserve', final: 'assez_favorable' },
  { origine: 'reserve', accueil: 'favorable', final: 'assez_favorable' },
  { origine: 'assez_favorable', accueil: 'reserve', final: 'peu_favorable' },
  { origine: 'reserve', accueil: 'assez_favorable', final: 'peu_favorable' },
  { origine: 'reserve', accueil: 'reserve', final: 'reserve' },
];

describe('campagnes livrées', () => {
  it('les trois campagnes sont chargées, par identifiant', () => {
    expect(Object.keys(campagnes).sort()).toEqual(['creteil-2018', 'creteil-2021', 'creteil-2027', 'paris-2023']);
    for (const [id, campagne] of Object.entries(campagnes)) expect(campagne.id).toBe(id);
  });

  it.each(Object.keys(campagnes))('%s cite son texte source', (id) => {
    expect(campagnes[id].source).toMatch(/seeds\/[a-z0-9-]+\.txt/);
  });

  it.each([
    ['creteil-2018', ['2018-01-30', '2018-04-13', '2018-05-11', '2018-05-23', '2018-05-07', '2018-05-23', '2018-06-30']],
    ['creteil-2021', ['2021-02-01', '2021-04-30', '2021-05-21', '2021-05-28', '2021-05-10', '2021-05-28', '2021-05-28']],
    ['paris-2023', ['2023-01-23', '2023-03-24', '2023-04-21', '2023-05-12', '2023-05-09', '2023-05-30', '2023-06-30']],
  ])('%s : calendrier', (id, dates) => {
    const c = campagnes[id].calendrier;
    expect([c.ouvertureInscriptions, c.finInscriptions, c.finEntretiens, c.finFicheRecapitulative, c.ouvertureAffelnet, c.finAffelnet, c.cloture]).toEqual(dates);
  });

  it.each(['creteil-2018', 'creteil-2021', 'creteil-2027'])('%s : la matrice de DOMAIN.md, avis favorable / assez favorable / réservé', (id) => {
    const campagne = campagnes[id];
    expect(campagne.matrice.cellules).toEqual(creteilMatrice);
    expect(campagne.avisOrigine).toEqual(['favorable', 'assez_favorable', 'reserve']);
  });

  it('Créteil 2018 : « ne se prononce pas » admis et un bonus décroissant avec l’avis final', () => {
    const campagne = campagnes['creteil-2018'];
    expect(campagne.avisAccueil).toContain('ne_se_prononce_pas');
    expect(campagne.bonus.type).toBe('avis_final');
    const points = ['tres_favorable', 'favorable', 'assez_favorable', 'peu_favorable', 'reserve', 'incomplet'].map((a) =>
      calculerBonus(campagne, a as never, true),
    );
    expect(points).toEqual([3000, 2000, 1000, 0, 0, 0]);
    expect(calculerBonus(campagne, 'tres_favorable', false)).toBe(0);
  });

  it('Créteil 2021 : « ne bonifie pas »', () => {
    const campagne = campagnes['creteil-2021'];
    expect(campagne.bonus).toEqual({ type: 'aucun' });
    expect(campagne.avisAccueil).toEqual(['favorable', 'assez_favorable', 'reserve']);
    expect(calculerBonus(campagne, 'tres_favorable', true)).toBe(0);
  });

  it('Paris 2023 : le lycée dit réservé ou favorable, le collège garde trois avis', () => {
    const campagne = campagnes['paris-2023'];
    expect(campagne.avisAccueil).toEqual(['favorable', 'reserve']);
    expect(campagne.avisOrigine).toEqual(['favorable', 'assez_favorable', 'reserve']);
  });

  // The Paris rule is on the lycée's avis alone; the matrix must carry it into the avis final.
  it.each(avisOrigineCodes.flatMap((origine) => (['favorable', 'reserve'] as const).map((accueil) => [origine, accueil] as const)))(
    'Paris 2023 : origine %s × accueil %s, confirmé à temps → 2500 points si et seulement si le lycée est favorable',
    (origine, accueil) => {
      const campagne = campagnes['paris-2023'];
      const final = calculerAvisFinal(campagne.matrice, origine, accueil);
      expect(calculerBonus(campagne, final, true)).toBe(accueil === 'favorable' ? 2500 : 0);
      expect(calculerBonus(campagne, final, false)).toBe(0);
    },
  );

  it('Paris 2023 : avis manquant → incomplet, sans bonus', () => {
    const campagne = campagnes['paris-2023'];
    expect(calculerBonus(campagne, calculerAvisFinal(campagne.matrice, null, 'favorable'), true)).toBe(0);
  });

  it.each(Object.keys(campagnes))('%s : toute paire des échelles a un avis final', (id) => {
    const campagne = campagnes[id];
    for (const origine of campagne.avisOrigine) {
      for (const accueil of campagne.avisAccueil) expect(() => calculerAvisFinal(campagne.matrice, origine, accueil)).not.toThrow();
    }
  });

  it('aucune cellule livrée ne sort des codes connus', () => {
    for (const campagne of Object.values(campagnes)) {
      for (const cellule of campagne.matrice.cellules) {
        expect(avisOrigineCodes).toContain(cellule.origine);
        expect(avisAccueilPrononceCodes).toContain(cellule.accueil);
      }
    }
  });
});
