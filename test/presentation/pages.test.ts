// What the layout prints, computed before handlebars sees it: schools by name, the navigation of each role,
// the title, the breadcrumb, the pagination.
import { libelleEtablissement } from '../../presentation/etablissements';
import { pagination, resumeErreurs, vueLayout } from '../../presentation/pages';
import { COLLEGE, LYCEE } from '../support/fixtures';

describe('libelleEtablissement', () => {
  it('names a lycée and a collège of the catalogue with their commune, and any other school by its UAI', () => {
    expect(libelleEtablissement(LYCEE)).toBe('Lycée Gabriel Péri (Champigny-sur-Marne)');
    expect(libelleEtablissement(COLLEGE)).toBe('Collège Lucie Aubrac (Bobigny)');
    expect(libelleEtablissement('0935001F')).toBe('Collège Jean Jaurès (Saint-Denis)');
    expect(libelleEtablissement('0941999M')).toBe('Établissement 0941999M');
  });
});

describe('vueLayout', () => {
  const libelles = (role: 'origine_chef' | 'accueil_personnel' | 'saio') =>
    vueLayout({ titre: 'x', personne: { nom: 'N', role, uai: role === 'saio' ? null : role.startsWith('origine') ? COLLEGE : LYCEE } }).navigation!.map((e) => e.libelle);

  it('gives each role its navigation', () => {
    expect(libelles('origine_chef')).toEqual(['Candidatures', 'Inscrire un élève', 'Importer une liste', 'Fiches']);
    expect(libelles('accueil_personnel')).toEqual(['À traiter', 'Candidatures', 'Créneaux']);
    expect(libelles('saio')).toEqual(['Tableau de bord', 'Candidatures', 'Exports', 'Purges RGPD']);
  });

  it('marks the entry of the current path and below it, titles the page, and starts the breadcrumb at home', () => {
    const vue = vueLayout({ titre: 'Candidature', personne: { nom: 'N', role: 'saio', uai: null }, chemin: '/saio/candidatures/abc', fil: [{ libelle: 'Candidature' }] });
    expect(vue.navigation!.filter((e) => e.courant).map((e) => e.href)).toEqual(['/saio/candidatures']);
    expect(vue.titreDocument).toBe('Candidature — Passpro');
    expect(vue.fil).toEqual([{ libelle: 'Accueil', href: '/' }, { libelle: 'Candidature' }]);
    expect(vue.personne).toEqual({ nom: 'N', role: 'SAIO', etablissement: undefined });
  });

  it('shows no navigation to a visitor who is not signed in', () => {
    expect(vueLayout({ titre: 'Accueil' })).toEqual({ titreDocument: 'Accueil — Passpro', alertes: [], personne: undefined, csrf: undefined, navigation: undefined, fil: undefined });
  });
});

describe('pagination', () => {
  const href = (n: number) => `?page=${n}`;
  it('shows the first, the last and the neighbours of the current page, with ellipses, and no link to itself', () => {
    const p = pagination(5, 12, href);
    expect(p.pages.map((x) => ('ellipsis' in x && x.ellipsis ? '…' : x.current ? `[${x.number}]` : String(x.number)))).toEqual(['1', '…', '4', '[5]', '6', '…', '12']);
    expect([p.first, p.prev, p.next, p.last]).toEqual(['?page=1', '?page=4', '?page=6', '?page=12']);
  });

  it('has no previous page on the first, no next page on the last', () => {
    expect(pagination(1, 1, href)).toMatchObject({ first: undefined, prev: undefined, next: undefined, last: undefined });
  });
});

it('counts the errors of a refused form in words', () => {
  expect(resumeErreurs([{ id: 'a', message: 'm' }]).title).toBe('Le formulaire contient une erreur');
  expect(resumeErreurs([{ id: 'a', message: 'm' }, { id: 'b', message: 'n' }]).title).toBe('Le formulaire contient 2 erreurs');
});
