// The accounts of the embedded development identity provider (platform/identity-provider.ts): what an académie's
// SSO would say of each person (name, school, function), and the role Passpro should give them.
import { catalogue } from '../domain/catalogue/index';
import type { Role } from '../domain/candidature';

/** The SAIO's service, as the SSO names it (api/web/roles.json `uaiSaio`): the rectorat de Créteil. */
export const UAI_SAIO = '0941918Z';

export interface CompteDeveloppement {
  /** The `sub` claim. */
  id: string;
  nom: string;
  email: string;
  uai: string;
  /** The function claim's value, as an académie's SSO would give it. */
  fonction: 'chef_etablissement' | 'personnel';
  /** The role Passpro is expected to give (shown on the sign-in page; checked by test/web/roles.test.ts). */
  role: Role | null;
  etablissement: string;
}

const lyceesOffrants = new Set(catalogue.domaines.flatMap((d) => d.formations.flatMap((f) => f.offres.map((o) => o.uai))));

/** A head and a staff member for the SAIO, each lycée and each collège of the catalogue; one agent with no role. */
export function comptesDeveloppement(): CompteDeveloppement[] {
  const compte = (fonction: CompteDeveloppement['fonction'], uai: string, nom: string, etablissement: string, role: Role | null) => ({
    id: `${fonction === 'chef_etablissement' ? 'chef' : 'personnel'}-${uai.toLowerCase()}`,
    nom,
    email: `${fonction === 'chef_etablissement' ? 'chef' : 'personnel'}.${uai.toLowerCase()}@ac-creteil.fr`,
    uai,
    fonction,
    role,
    etablissement,
  });
  const saio = 'SAIO — rectorat de Créteil';
  const comptes: CompteDeveloppement[] = [
    compte('chef_etablissement', UAI_SAIO, 'Cheffe du SAIO', saio, 'saio'),
    compte('personnel', UAI_SAIO, 'Gestionnaire du SAIO', saio, 'saio'),
  ];
  for (const e of catalogue.etablissements) {
    const lycee = lyceesOffrants.has(e.uai);
    const etablissement = `${e.nom} (${e.commune})`;
    comptes.push(
      compte('chef_etablissement', e.uai, `${lycee ? 'Proviseur' : 'Principal'}, ${e.nom}`, etablissement, lycee ? 'accueil_chef' : 'origine_chef'),
      compte('personnel', e.uai, `Secrétariat, ${e.nom}`, etablissement, lycee ? 'accueil_personnel' : 'origine_personnel'),
    );
  }
  // An école élémentaire of Bobigny: its teacher signs in to the SSO but takes no part in the procedure.
  comptes.push(compte('personnel', '0930500N', 'Enseignante, école Paul Langevin', 'École Paul Langevin (Bobigny)', null));
  return comptes;
}
