import {
  academieOfUai,
  departementOfUai,
  ineFormat,
  isValidCfd,
  isValidIne,
  isValidMef,
  isValidMefStat11,
  isValidUai,
  uaiCheckLetter,
} from '../../domain/identifiers';

describe('UAI', () => {
  it.each([
    ['0750655', 'E'],
    ['0942434', 'K'],
    ['0000000', 'A'],
    ['0000022', 'Z'],
    ['0000008', 'J'], // skips I
  ])('la clé de %s est %s', (chiffres, cle) => {
    expect(uaiCheckLetter(chiffres)).toBe(cle);
  });

  it('refuse de calculer la clé de autre chose que 7 chiffres', () => {
    expect(() => uaiCheckLetter('075065')).toThrow('7 chiffres');
    expect(() => uaiCheckLetter('075065A')).toThrow('7 chiffres');
  });

  it.each(['0750655E', '0942434K', '0930136T', '0951234A'])('%s est valide', (uai) => {
    expect(isValidUai(uai)).toBe(true);
  });

  it.each([
    ['0750655F', 'mauvaise clé'],
    ['0750655e', 'clé en minuscule'],
    ['750655E', '6 chiffres'],
    ['07506550E', '8 chiffres'],
    [' 0750655E', 'espace'],
    ['', 'vide'],
  ])('%s est invalide (%s)', (uai) => {
    expect(isValidUai(uai)).toBe(false);
  });

  it.each([
    ['0750655E', '075', 'paris'],
    ['0771234Y', '077', 'creteil'],
    ['0930136T', '093', 'creteil'],
    ['0942434K', '094', 'creteil'],
    ['0781234T', '078', 'versailles'],
    ['0911234X', '091', 'versailles'],
    ['0921234S', '092', 'versailles'],
    ['0951234A', '095', 'versailles'],
    ['0691234S', '069', null],
  ])('%s : département %s, académie %s', (uai, departement, academie) => {
    expect(departementOfUai(uai)).toBe(departement);
    expect(academieOfUai(uai)).toBe(academie);
  });
});

describe('INE', () => {
  it.each([
    ['123456789AB', 'rnie'],
    ['123456789JK', 'rnie'],
    ['1234567890A', 'bea'],
    ['1234567890Z', 'bea'],
    ['0A1B2C3D4E5', 'base36'],
    ['1234A12345B', 'apprentissage'],
    ['1234D12345B', 'provisoire'],
  ])('%s est au format %s', (ine, format) => {
    expect(ineFormat(ine)).toBe(format);
    expect(isValidIne(ine)).toBe(true);
  });

  it.each([
    ['123456789IL', 'lettres hors RNIE'],
    ['1234567890I', 'lettre I exclue en BEA'],
    ['1234567890O', 'lettre O exclue en BEA'],
    ['1234A12345Q', 'lettre Q exclue'],
    ['123456789ab', 'minuscules'],
    ['12345678901A', '12 caractères'],
    ['1234567890', '10 caractères'],
    ['', 'vide'],
  ])('%s est refusé (%s)', (ine) => {
    expect(ineFormat(ine)).toBeNull();
    expect(isValidIne(ine)).toBe(false);
  });
});

describe('codes de formation', () => {
  it.each([
    ['MEF', isValidMef, '3112320121', true],
    ['MEF', isValidMef, '311232012', false],
    ['MEF', isValidMef, '311232012A', false],
    ['MEF', isValidMef, '24725009310', false],
    ['MEF STAT 11', isValidMefStat11, '24725009310', true],
    ['MEF STAT 11', isValidMefStat11, '2472500931', false],
    ['CFD', isValidCfd, '50025413', true],
    ['CFD', isValidCfd, '4002540A', true],
    ['CFD', isValidCfd, '5002541', false],
    ['CFD', isValidCfd, '500254a3', false],
  ])('%s %s valide : %s', (_nom, valider, code, attendu) => {
    expect(valider(code)).toBe(attendu);
  });
});
