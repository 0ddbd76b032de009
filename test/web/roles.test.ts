// The claims → role table (api/web/roles.json) as data: each kind of school and function, the SSO's value
// shapes, the refusals, and the development provider's accounts, each of which must get the role it shows.
import { attribuerRole, tableRoles, tableRolesSchema, typeEtablissement } from '../../api/web/roles';
import { retourSur } from '../../api/web/connexion';
import { comptesDeveloppement, UAI_SAIO } from '../../platform/comptes-developpement';
import { COLLEGE, LYCEE } from '../support/fixtures';

const noms = { nom: ['name'], uai: 'uai', fonction: 'fonction' };
const role = (claims: Record<string, unknown>) => {
  const a = attribuerRole({ name: 'Mme X', ...claims }, noms);
  return 'appelant' in a ? a.appelant : { refus: a.refus };
};

describe('claims → role', () => {
  it('gives a lycée of the catalogue accueil_*, a collège origine_*, the SAIO saio without a school', () => {
    expect(role({ uai: LYCEE, fonction: 'DIR' })).toEqual({ role: 'accueil_chef', uai: LYCEE, nom: 'Mme X' });
    expect(role({ uai: LYCEE, fonction: 'ADM' })).toEqual({ role: 'accueil_personnel', uai: LYCEE, nom: 'Mme X' });
    expect(role({ uai: COLLEGE, fonction: 'chef_etablissement' })).toEqual({ role: 'origine_chef', uai: COLLEGE, nom: 'Mme X' });
    expect(role({ uai: COLLEGE, fonction: 'personnel' })).toEqual({ role: 'origine_personnel', uai: COLLEGE, nom: 'Mme X' });
    expect(role({ uai: UAI_SAIO, fonction: 'DIR' })).toEqual({ role: 'saio', uai: null, nom: 'Mme X' });
    expect(role({ uai: UAI_SAIO, fonction: 'ENS' })).toEqual({ role: 'saio', uai: null, nom: 'Mme X' });
  });

  it('reads the SSO shapes: a composite school value, several values, a head who also teaches, a name in two claims', () => {
    expect(role({ uai: `${LYCEE}$UAJ$PU$N$T3$LP$340`, fonction: ['ENS', 'DIR'] })).toMatchObject({ role: 'accueil_chef', uai: LYCEE });
    expect(role({ uai: ['0930500N', COLLEGE.toLowerCase()], fonction: 'ADM' })).toMatchObject({ role: 'origine_personnel', uai: COLLEGE });
    const a = attribuerRole({ given_name: 'Léa', usual_name: 'Martin', uai: LYCEE, fonction: 'DIR' }, { ...noms, nom: ['given_name', 'usual_name'] });
    expect(a).toEqual({ appelant: { role: 'accueil_chef', uai: LYCEE, nom: 'Léa Martin' } });
  });

  it('refuses, with the reason, a school outside the procedure, an unknown function, missing claims', () => {
    expect(role({ uai: '0930500N', fonction: 'DIR' })).toEqual({ refus: expect.stringContaining('0930500N') });
    expect(role({ uai: LYCEE, fonction: 'inspecteur' })).toEqual({ refus: expect.stringContaining('fonction') });
    expect(role({ fonction: 'DIR' })).toEqual({ refus: expect.stringContaining('UAI') });
    expect(attribuerRole({ uai: LYCEE, fonction: 'DIR' }, noms)).toEqual({ refus: expect.stringContaining('nom') });
  });

  it('follows the table, which is data: another table, other roles', () => {
    const table = tableRolesSchema.parse({ ...tableRoles, regles: [{ etablissement: 'lycee', fonction: 'chef', role: 'saio' }] });
    expect(attribuerRole({ name: 'X', uai: LYCEE, fonction: 'DIR' }, noms, table)).toEqual({ appelant: { role: 'saio', uai: null, nom: 'X' } });
    expect(attribuerRole({ name: 'X', uai: COLLEGE, fonction: 'DIR' }, noms, table)).toHaveProperty('refus');
    expect(() => tableRolesSchema.parse({ ...tableRoles, regles: [{ etablissement: 'lycee', fonction: 'chef', role: 'systeme' }] })).toThrow();
    expect([typeEtablissement(LYCEE), typeEtablissement(COLLEGE), typeEtablissement(UAI_SAIO), typeEtablissement('0930500N')]).toEqual(['lycee', 'college', 'saio', null]);
  });

  it("gives every account of the development provider the role its sign-in page shows", () => {
    const comptes = comptesDeveloppement();
    for (const c of comptes) {
      const a = attribuerRole({ name: c.nom, uai: c.uai, fonction: c.fonction }, noms);
      expect([c.id, 'appelant' in a ? a.appelant.role : null]).toEqual([c.id, c.role]);
    }
    expect(new Set(comptes.map((c) => c.id)).size).toBe(comptes.length);
    expect(comptes.filter((c) => c.uai === LYCEE).map((c) => c.role).sort()).toEqual(['accueil_chef', 'accueil_personnel']);
    expect(comptes.filter((c) => c.uai === COLLEGE).map((c) => c.role).sort()).toEqual(['origine_chef', 'origine_personnel']);
  });
});

describe('return path after sign-in', () => {
  it('keeps a path of this site and refuses any other', () => {
    expect(retourSur('/candidatures/passpro%3Acreteil-2027%3A123456789AB%3Ametallerie?onglet=avis')).toBe('/candidatures/passpro%3Acreteil-2027%3A123456789AB%3Ametallerie?onglet=avis');
    for (const autre of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '', undefined, ['/a'], '/a b', '/connexion/retour?code=x']) {
      expect([autre, retourSur(autre)]).toEqual([autre, '/espace']);
    }
  });
});
