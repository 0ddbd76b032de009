import {
  avisAccueilCodes,
  avisFinalCodes,
  avisOrigineCodes,
  calculerAvisFinal,
  isCodeAvis,
  libelleAvis,
  type AvisFinal,
  type Matrice,
} from '../../domain/avis';

// DOMAIN.md's Créteil 2018 table, written out here independently of the shipped JSON.
const creteil2018: [string, string, AvisFinal][] = [
  ['favorable', 'favorable', 'tres_favorable'],
  ['favorable', 'assez_favorable', 'favorable'],
  ['assez_favorable', 'favorable', 'favorable'],
  ['assez_favorable', 'assez_favorable', 'assez_favorable'],
  ['favorable', 'reserve', 'assez_favorable'],
  ['reserve', 'favorable', 'assez_favorable'],
  ['assez_favorable', 'reserve', 'peu_favorable'],
  ['reserve', 'assez_favorable', 'peu_favorable'],
  ['reserve', 'reserve', 'reserve'],
];

const matrice: Matrice = {
  cellules: [
    { origine: 'favorable', accueil: 'favorable', final: 'tres_favorable' },
    { origine: 'favorable', accueil: 'assez_favorable', final: 'favorable' },
    { origine: 'assez_favorable', accueil: 'favorable', final: 'favorable' },
    { origine: 'assez_favorable', accueil: 'assez_favorable', final: 'assez_favorable' },
    { origine: 'favorable', accueil: 'reserve', final: 'assez_favorable' },
    { origine: 'reserve', accueil: 'favorable', final: 'assez_favorable' },
    { origine: 'assez_favorable', accueil: 'reserve', final: 'peu_favorable' },
    { origine: 'reserve', accueil: 'assez_favorable', final: 'peu_favorable' },
    { origine: 'reserve', accueil: 'reserve', final: 'reserve' },
  ],
  neSePrononcePas: 'avis_origine',
};

describe('avis final (matrice Créteil 2018)', () => {
  it.each(creteil2018)('origine %s × accueil %s → %s', (origine, accueil, final) => {
    expect(calculerAvisFinal(matrice, origine, accueil)).toBe(final);
  });

  it.each([
    ['favorable', 'favorable'],
    ['assez_favorable', 'assez_favorable'],
    ['reserve', 'reserve'],
    [null, 'incomplet'],
  ])("origine %s × accueil « ne se prononce pas » → %s (l'avis d'origine)", (origine, final) => {
    expect(calculerAvisFinal(matrice, origine, 'ne_se_prononce_pas')).toBe(final);
  });

  it.each([
    [null, null],
    [null, 'favorable'],
    [null, 'reserve'],
    ['favorable', null],
    ['reserve', null],
  ])('origine %s × accueil %s → incomplet', (origine, accueil) => {
    expect(calculerAvisFinal(matrice, origine, accueil)).toBe('incomplet');
  });

  it('ne dépend pas de l’ordre des cellules', () => {
    const inverse: Matrice = { ...matrice, cellules: [...matrice.cellules].reverse() };
    for (const [origine, accueil, final] of creteil2018) expect(calculerAvisFinal(inverse, origine, accueil)).toBe(final);
  });

  it('une paire absente de la matrice est une erreur de données qui la nomme', () => {
    const trouee: Matrice = { ...matrice, cellules: matrice.cellules.filter((c) => c.origine !== 'reserve' || c.accueil !== 'reserve') };
    expect(() => calculerAvisFinal(trouee, 'reserve', 'reserve')).toThrow(
      "matrice d'avis incomplète : aucune cellule pour l'avis d'origine « reserve » et l'avis d'accueil « reserve »",
    );
  });

  it("un avis d'origine inconnu n'est pas recopié tel quel", () => {
    expect(() => calculerAvisFinal(matrice, 'tres_favorable', 'ne_se_prononce_pas')).toThrow("avis d'origine inconnu « tres_favorable »");
    expect(() => calculerAvisFinal(matrice, 'excellent', 'favorable')).toThrow('aucune cellule');
  });
});

describe('codes et libellés', () => {
  it.each([
    ['tres_favorable', 'très favorable'],
    ['favorable', 'favorable'],
    ['assez_favorable', 'assez favorable'],
    ['peu_favorable', 'peu favorable'],
    ['reserve', 'réservé'],
    ['ne_se_prononce_pas', 'ne se prononce pas'],
    ['incomplet', 'incomplet'],
  ] as const)('%s se lit « %s »', (code, libelle) => {
    expect(libelleAvis(code)).toBe(libelle);
  });

  it('chaque code a un libellé, et rien d’autre', () => {
    for (const code of [...avisOrigineCodes, ...avisAccueilCodes, ...avisFinalCodes]) expect(isCodeAvis(code)).toBe(true);
    expect(isCodeAvis('toString')).toBe(false);
    expect(isCodeAvis('Favorable')).toBe(false);
  });

  it('les échelles sont celles des textes', () => {
    expect(avisOrigineCodes).toEqual(['favorable', 'assez_favorable', 'reserve']);
    expect(avisAccueilCodes).toEqual(['favorable', 'assez_favorable', 'reserve', 'ne_se_prononce_pas']);
    expect(avisFinalCodes).toEqual(['tres_favorable', 'favorable', 'assez_favorable', 'peu_favorable', 'reserve', 'incomplet']);
  });
});
