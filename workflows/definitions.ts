// The contract between the candidature workflow and its callers (API, tests): ids, inputs, state,
// signals, updates and queries, defined once.
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export type IsoDate = string;

export type Role = 'origine_personnel' | 'origine_chef' | 'accueil_personnel' | 'accueil_chef' | 'saio' | 'systeme';

/** Who did something: recorded with every action. */
export interface Acteur {
  role: Role;
  uai: string | null;
  nom: string;
}

export type Etape =
  | 'recensement'
  | 'a_planifier'
  | 'convoquee'
  | 'compte_rendu_attendu'
  | 'confirmation_attendue'
  | 'cloturee'
  | 'desistee';

export interface Eleve {
  ine: string;
  nom: string;
  prenom: string;
  niveau: string;
  uaiOrigine: string;
  referentNom: string;
  referentEmail: string;
}

export interface VoeuDemande {
  codeFormation: string;
  libelle: string;
}

export interface CandidatureInput {
  campagneId: string;
  eleve: Eleve;
  domaine: { code: string; libelle: string };
  modalite: 'individuel' | 'collectif';
  uaiAccueil: string;
  voeux: VoeuDemande[];
  acteur: Acteur;
}

export interface Voeu extends VoeuDemande {
  rang: number;
  ajouteEnEntretien: boolean;
}

export interface HistoriqueEntree {
  type: string;
  acteur: Acteur;
  survenuLe: string;
  details?: Record<string, unknown>;
}

export interface CandidatureState {
  id: string;
  campagneId: string;
  eleve: Eleve;
  domaine: { code: string; libelle: string };
  modalite: 'individuel' | 'collectif';
  uaiAccueil: string;
  etape: Etape;
  etapeDepuis: string;
  echeance: string | null;
  enRetard: boolean;
  voeux: Voeu[];
  historique: HistoriqueEntree[];
  /** Bumped at every change: persistence ignores writes older than what it holds. */
  version: number;
}

export interface DesistementInput {
  motif: string;
  acteur: Acteur;
}

export interface AjoutVoeuxInput {
  voeux: VoeuDemande[];
  acteur: Acteur;
}

export const etatQuery = defineQuery<CandidatureState>('etat');
export const ajouterVoeuxUpdate = defineUpdate<CandidatureState, [AjoutVoeuxInput]>('ajouterVoeux');
export const desisterUpdate = defineUpdate<CandidatureState, [DesistementInput]>('desister');

const prefix = 'passpro';

/** One workflow per pupil × domaine × campagne: the id makes a second interview in a domain impossible. */
export function candidatureWorkflowId(campagneId: string, ine: string, domaine: string): string {
  return `${prefix}:${campagneId}:${ine}:${domaine}`;
}

export function parseCandidatureWorkflowId(id: string): { campagneId: string; ine: string; domaine: string } | null {
  const parts = id.split(':');
  if (parts.length !== 4 || parts[0] !== prefix || parts.some((p) => p.length === 0)) return null;
  return { campagneId: parts[1], ine: parts[2], domaine: parts[3] };
}
