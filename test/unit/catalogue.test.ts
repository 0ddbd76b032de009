// The shipped catalogue (domain/catalogue/catalogue.json) against the seed texts and the public
// registries, and parseCatalogue's refusals, each named by its field.
import { readFileSync } from 'node:fs';
import { CatalogueInvalideError, parseCatalogue, type Catalogue } from '../../domain/catalogue';
import { catalogue } from '../../domain/catalogue/index';
import { academieOfUai, isValidUai } from '../../domain/identifiers';

interface Commune {
  code: string;
  nom: string;
  type: string;
}
const communes = JSON.parse(readFileSync(require.resolve('@etalab/decoupage-administratif/data/communes.json'), 'utf8')) as Commune[];

const domaine = (code: string) => catalogue.domaines.find((d) => d.code === code)!;
const modalites = (code: string) => new Set(domaine(code).formations.flatMap((f) => f.offres.map((o) => o.modalite)));

describe('the shipped catalogue', () => {
  it('places every lycée of the académie de Créteil under a UAI with its check letter, in a real commune of its département', () => {
    for (const e of catalogue.etablissements) {
      expect([e.uai, isValidUai(e.uai), academieOfUai(e.uai)]).toEqual([e.uai, true, 'creteil']);
      const commune = communes.find((c) => c.code === e.codeCommune && c.type === 'commune-actuelle');
      expect([e.uai, commune?.nom]).toEqual([e.uai, e.commune]);
      expect(e.uai.slice(1, 3)).toBe(e.codeCommune.slice(0, 2));
    }
  });

  it('holds the 2018 domaines with individual interviews, and the collective sessions', () => {
    expect(catalogue.domaines).toHaveLength(29);
    expect(domaine('metallerie').formations.map((f) => f.libelle)).toEqual([
      '2nde pro métiers des structures métalliques',
      'CAP serrurier métallier',
      'CAP réalisation industrielle en chaudronnerie ou soudage option chaudronnerie',
      'CAP ferronnier',
      'CAP menuisier aluminium verre',
    ]);
    expect(modalites('metallerie')).toEqual(new Set(['individuel']));
    // ASSP and hôtellerie-restauration: information sessions everywhere (no avis, no bonus).
    expect(modalites('sante-aide-personne')).toEqual(new Set(['collectif']));
    expect(domaine('hotellerie-restauration').formations.map((f) => f.mnemonique)).toEqual(['1CAP2', '1CAP2', '1CAP2', '2NDPRO']);
    expect(modalites('hotellerie-restauration')).toEqual(new Set(['collectif']));
  });

  it('holds SPVL as a collective session at the lycée Gabriel Péri of Champigny only, individual elsewhere', () => {
    const [spvl] = domaine('social-animation').formations;
    const periChampigny = catalogue.etablissements.find((e) => e.nom === 'Lycée Gabriel Péri')!;
    expect(periChampigny.commune).toBe('Champigny-sur-Marne');
    expect(spvl.offres.filter((o) => o.modalite === 'collectif').map((o) => o.uai)).toEqual([periChampigny.uai]);
    expect(spvl.offres.filter((o) => o.modalite === 'individuel').length).toBeGreaterThan(0);
  });

  it('has every formation offered, and codes the API accepts', () => {
    for (const f of catalogue.domaines.flatMap((d) => d.formations)) {
      expect(f.offres.length).toBeGreaterThan(0);
      expect(f.code).toMatch(/^[0-9A-Z]{8,11}$/);
    }
  });
});

describe('parseCatalogue', () => {
  const copie = (): Catalogue => structuredClone(catalogue);
  const problemes = (json: unknown): string[] => {
    try {
      parseCatalogue(json);
    } catch (error) {
      if (error instanceof CatalogueInvalideError) return error.problemes;
      throw error;
    }
    throw new Error('catalogue accepté');
  };

  it('refuses a wrong check letter, naming the field', () => {
    const c = copie();
    c.etablissements[1].uai = `${c.etablissements[1].uai.slice(0, 7)}${c.etablissements[1].uai[7] === 'A' ? 'B' : 'A'}`;
    expect(problemes(c)).toEqual(expect.arrayContaining([expect.stringMatching(/^etablissements\.1\.uai : UAI invalide/)]));
  });

  it('refuses a lycée outside the académie, and an offer at a lycée not in the catalogue', () => {
    const c = copie();
    c.etablissements[2] = { ...c.etablissements[2], uai: '0750655E', codeCommune: '75056' };
    c.domaines[0].formations[0].offres.push({ uai: '0941999M', modalite: 'individuel' });
    const liste = problemes(c);
    expect(liste).toEqual(expect.arrayContaining([expect.stringMatching(/^etablissements\.2\.uai : .*Créteil/)]));
    expect(liste).toEqual(expect.arrayContaining([expect.stringMatching(/^domaines\.0\.formations\.0\.offres\.\d+\.uai : l'UAI 0941999M n'est pas un établissement du catalogue/)]));
  });

  it('refuses a duplicate formation code', () => {
    const c = copie();
    c.domaines[1].formations[0].code = c.domaines[0].formations[0].code;
    expect(problemes(c)).toEqual([expect.stringMatching(/^domaines\.1\.formations\.0\.code : la formation .* plusieurs fois/)]);
  });

  it('refuses an unknown modality', () => {
    const c = copie();
    (c.domaines[2].formations[0].offres[0] as { modalite: string }).modalite = 'mixte';
    expect(problemes(c)).toEqual([expect.stringMatching(/^domaines\.2\.formations\.0\.offres\.0\.modalite : /)]);
  });
});
