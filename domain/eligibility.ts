// Who may be registered in Passpro: pupils of niveau 3e (and the equivalent collège-level schemes) only.

const RAISON_LYCEE =
  'Depuis 2021, les élèves de lycée ne sont pas concernés par la procédure Passpro, réservée aux élèves de niveau 3e.';

export const niveaux = [
  { code: '3e', libelle: '3e', eligible: true },
  { code: '3e_segpa', libelle: '3e SEGPA', eligible: true },
  { code: '3e_prepa_metiers', libelle: '3e prépa-métiers', eligible: true },
  { code: '3e_alternance', libelle: '3e alternance (Dali 93)', eligible: true },
  { code: 'eana_upe2a_college', libelle: 'EANA (UPE2A collège)', eligible: true },
  { code: 'mlds_college', libelle: 'action MLDS de niveau collège', eligible: true },
  { code: 'mlds_niveau_v', libelle: 'action MLDS de niveau V', eligible: true },
  {
    code: '2nde_gt',
    libelle: '2nde générale et technologique',
    eligible: false,
    raison: 'Les élèves de 2nde GT ont vocation à poursuivre leur scolarité en classe de 1re : ils ne sont pas concernés par la procédure Passpro.',
  },
  { code: '2nde_pro', libelle: '2nde professionnelle', eligible: false, raison: RAISON_LYCEE },
  { code: 'cap', libelle: 'CAP', eligible: false, raison: RAISON_LYCEE },
  { code: '1re', libelle: '1re', eligible: false, raison: RAISON_LYCEE },
  { code: 'terminale', libelle: 'terminale', eligible: false, raison: RAISON_LYCEE },
] as const;

export type Niveau = (typeof niveaux)[number]['code'];

export type Eligibilite = { eligible: true } | { eligible: false; raison: string };

function trouverNiveau(code: string) {
  return niveaux.find((n) => n.code === code);
}

export function isNiveau(code: string): code is Niveau {
  return trouverNiveau(code) !== undefined;
}

export function libelleNiveau(niveau: Niveau): string {
  return trouverNiveau(niveau)!.libelle;
}

/** Takes any string because the niveau comes from a form: an unknown code is refused, not guessed. */
export function checkEligibilite(niveau: string): Eligibilite {
  const trouve = trouverNiveau(niveau);
  if (trouve === undefined) {
    return {
      eligible: false,
      raison: `Niveau « ${niveau} » inconnu : niveaux admis ${niveaux.filter((n) => n.eligible).map((n) => n.code).join(', ')}.`,
    };
  }
  return trouve.eligible ? { eligible: true } : { eligible: false, raison: trouve.raison };
}
