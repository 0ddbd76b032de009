// Realistic test data: real UAI check letters, INE in the RNIE format, formations from the Créteil 2018 list.
import type { Campagne } from '../../domain/campaign';
import { campagnes } from '../../domain/campaigns';
import type { Acteur, CandidatureInput, Eleve, VoeuDemande } from '../../domain/candidature';

export const COLLEGE = '0931234L';
export const LYCEE = '0940134K';

export const chefOrigine: Acteur = { role: 'origine_chef', uai: COLLEGE, nom: 'Mme Principale' };
export const personnelOrigine: Acteur = { role: 'origine_personnel', uai: COLLEGE, nom: 'M. Durand' };
export const chefAccueil: Acteur = { role: 'accueil_chef', uai: LYCEE, nom: 'M. Proviseur' };
export const personnelAccueil: Acteur = { role: 'accueil_personnel', uai: LYCEE, nom: 'Mme DDFPT' };

export const voeuxMetallerie: VoeuDemande[] = [
  { codeFormation: '24025401', libelle: '2nde pro métiers des structures métalliques' },
  { codeFormation: '50025415', libelle: 'CAP serrurier métallier' },
];

let sequence = 0;
/** A fresh pupil each call, so tests never share a workflow id. */
export function eleve(): Eleve {
  sequence += 1;
  const ine = `${String(100_000_000 + ((process.pid * 1000 + sequence) % 900_000_000)).padStart(9, '0')}AB`;
  return {
    ine,
    nom: 'Martin',
    prenom: 'Léa',
    niveau: '3e',
    uaiOrigine: COLLEGE,
    referentNom: 'M. Durand',
    referentEmail: 'pp.durand@ac-creteil.fr',
  };
}

/** The body of `POST /candidatures`, on the campaign under way (the dev-server tests run on real time). */
export function inscription(overrides: Record<string, unknown> = {}) {
  return {
    campagneId: 'creteil-2027',
    eleve: eleve(),
    domaine: { code: 'metallerie', libelle: 'Métallerie' },
    modalite: 'individuel' as const,
    uaiAccueil: LYCEE,
    voeux: voeuxMetallerie,
    acteur: chefOrigine,
    ...overrides,
  };
}

/**
 * A shipped campaign moved to another year, month and day kept: the time-skipping server starts at the real
 * date, so historical campaigns are replayed in the future. Weekdays and holidays are those of the new year.
 */
export function campagneEn(id: string, annee: number): Campagne {
  const source = campagnes[id];
  const decalage = annee - Number(source.calendrier.cloture.slice(0, 4));
  const calendrier = Object.fromEntries(
    Object.entries(source.calendrier).map(([k, date]) => [k, `${Number(date.slice(0, 4)) + decalage}${date.slice(4)}`]),
  ) as Campagne['calendrier'];
  return { ...source, calendrier };
}

export function candidatureInput(campagne: Campagne, overrides: Partial<CandidatureInput> = {}): CandidatureInput {
  return {
    campagne,
    eleve: eleve(),
    domaine: { code: 'metallerie', libelle: 'Métallerie' },
    modalite: 'individuel',
    uaiAccueil: LYCEE,
    voeux: voeuxMetallerie,
    acteur: chefOrigine,
    ...overrides,
  };
}

/** Another lycée of the académie (valid check letter): its staff may not act on LYCEE's candidatures. */
export const AUTRE_LYCEE = '0940135L';
export const personnelAutreLycee: Acteur = { role: 'accueil_personnel', uai: AUTRE_LYCEE, nom: 'M. Autre' };
export const saio: Acteur = { role: 'saio', uai: null, nom: 'SAIO Créteil' };

/** A third Métallerie formation of the Créteil 2018 list. */
export const voeuMetallier: VoeuDemande = { codeFormation: '50025416', libelle: 'CAP métallier' };

/** The collège's avis d'origine, one per vœu in order (`avis[i]` for `voeux[i]`). */
export function avisOrigineInput(voeux: VoeuDemande[], avis: string[], acteur: Acteur = chefOrigine) {
  return {
    acteur,
    avis: voeux.map((v, i) => ({ codeFormation: v.codeFormation, avis: avis[i], commentaire: `Avis motivé pour ${v.libelle}.` })),
  };
}

/** The lycée's compte rendu, one avis d'accueil per vœu in order. */
export function compteRenduInput(voeux: VoeuDemande[], avis: string[], acteur: Acteur = chefAccueil) {
  return {
    acteur,
    texte: "Élève curieuse, a visité les ateliers. Conseil : stage d'observation.",
    avis: voeux.map((v, i) => ({ codeFormation: v.codeFormation, avis: avis[i] })),
  };
}

/** An on-site interview planned by the lycée's staff. */
export function planificationInput(date: string, heure: string, extra: { derogation?: boolean; acteur?: Acteur } = {}) {
  return { date, heure, lieu: 'Lycée Gabriel Péri, salle B12', mode: 'presentiel' as const, acteur: personnelAccueil, ...extra };
}

/** The interview of most workflow tests: Wednesday 7 April 2027, 14:00 Paris (summer time), a working day. */
export const ENTRETIEN = { date: '2027-04-07', heure: '14:00' } as const;
