// Realistic test data: real UAI check letters, INE in the RNIE format, formations from the Créteil 2018 list.
import type { Acteur, CandidatureInput } from '../../workflows/definitions';

export const COLLEGE = '0931234L';
export const LYCEE = '0940134K';

export const chefOrigine: Acteur = { role: 'origine_chef', uai: COLLEGE, nom: 'Mme Principale' };

let sequence = 0;
/** A fresh pupil each call, so tests never share a workflow id. */
export function inscription(overrides: Partial<CandidatureInput> = {}): CandidatureInput {
  sequence += 1;
  const ine = `${String(100_000_000 + ((process.pid * 1000 + sequence) % 900_000_000)).padStart(9, '0')}AB`;
  return {
    // The campaign under way (2026-2027): the dev-server tests run on real time.
    campagneId: 'creteil-2027',
    eleve: {
      ine,
      nom: 'Martin',
      prenom: 'Léa',
      niveau: '3e',
      uaiOrigine: COLLEGE,
      referentNom: 'M. Durand',
      referentEmail: 'pp.durand@ac-creteil.fr',
    },
    domaine: { code: 'metallerie', libelle: 'Métallerie' },
    modalite: 'individuel',
    uaiAccueil: LYCEE,
    voeux: [
      { codeFormation: '24025401', libelle: '2nde pro métiers des structures métalliques' },
      { codeFormation: '50025415', libelle: 'CAP serrurier métallier' },
    ],
    acteur: chefOrigine,
    ...overrides,
  };
}
