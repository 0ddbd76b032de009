// The contract between the candidature workflow and its callers (API, tests): ids, inputs, state,
// updates and queries, defined once.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AvisFinal } from '../domain/avis';
import type { Campagne } from '../domain/campaign';
import type { IsoDate } from '../domain/calendar';

export type Role = 'origine_personnel' | 'origine_chef' | 'accueil_personnel' | 'accueil_chef' | 'saio' | 'systeme';

/** Who did something: recorded with every action. */
export interface Acteur {
  role: Role;
  uai: string | null;
  nom: string;
}

/** Where a candidature is, in the users' words. The two last are final. */
export type Etape =
  | 'recensement' // interest recorded by the collège, not yet registered
  | 'a_planifier' // registered, no interview date yet
  | 'convoquee' // interview planned, convocation sent
  | 'compte_rendu_attendu' // interview held, compte rendu and avis d'accueil due within the window
  | 'confirmation_attendue' // avis final known, fiche récapitulative ready, waiting for family + AFFELNET
  | 'cloturee'
  | 'desistee';

export const etapesFinales: readonly Etape[] = ['cloturee', 'desistee'];

export type Modalite = 'individuel' | 'collectif';

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

export interface Domaine {
  code: string;
  libelle: string;
}

export interface CandidatureInput {
  campagne: Campagne;
  eleve: Eleve;
  domaine: Domaine;
  modalite: Modalite;
  uaiAccueil: string;
  voeux: VoeuDemande[];
  /** true: the collège records the pupil's interest (recensement) and registers later. */
  recensementSeulement?: boolean;
  acteur: Acteur;
}

export interface AvisSaisi<T extends string = string> {
  avis: T;
  par: Acteur;
  le: string;
  enRetard: boolean;
}

export interface Voeu extends VoeuDemande {
  rang: number;
  /** Added by the lycée at the interview, at the pupil's request. */
  ajouteEnEntretien: boolean;
  avisOrigine: (AvisSaisi & { commentaire: string }) | null;
  avisAccueil: AvisSaisi | null;
  avisFinal: AvisFinal | null;
  bonus: number | null;
}

export type ModeEntretien = 'presentiel' | 'distanciel';

export interface Entretien {
  date: IsoDate;
  heure: string;
  lieu: string;
  mode: ModeEntretien;
  /** Set when the date is a weekend or public holiday, allowed explicitly. */
  derogation: boolean;
  /** Bumped at every change of date, time, place or mode: the calendar invitation's SEQUENCE. */
  sequence: number;
  statut: 'planifie' | 'tenu' | 'absent';
  planifiePar: Acteur;
}

export interface CompteRendu {
  texte: string;
  par: Acteur;
  le: string;
  enRetard: boolean;
}

/** An open lateness: something due that has not happened. Closed ones stay in the history. */
export type Retard = 'planification' | 'avis_origine' | 'compte_rendu';

export interface HistoriqueEntree {
  type: string;
  acteur: Acteur;
  survenuLe: string;
  details?: Record<string, unknown>;
}

export interface Echeances {
  inscription: string;
  entretiens: string;
  compteRendu: string | null;
  ficheRecapitulative: string;
  affelnet: string;
  cloture: string;
}

export interface CandidatureState {
  id: string;
  campagneId: string;
  eleve: Eleve;
  domaine: Domaine;
  modalite: Modalite;
  uaiAccueil: string;
  etape: Etape;
  etapeDepuis: string;
  inscritLe: string | null;
  voeux: Voeu[];
  entretien: Entretien | null;
  compteRendu: CompteRendu | null;
  ficheRecapitulativeLe: string | null;
  confirmationFamille: { par: Acteur; le: string } | null;
  saisieAffelnet: { par: Acteur; le: string; voeux: string[] } | null;
  /** null until decided: true when confirmation and AFFELNET entry both came before the deadline. */
  bonusAccorde: boolean | null;
  echeances: Echeances;
  /** The next deadline of the current step. */
  prochaineEcheance: string | null;
  retards: Retard[];
  /** Keys of the dated events (reminders, escalations, deadlines) already handled: each happens once. */
  evenementsTraites: string[];
  historique: HistoriqueEntree[];
  /** Bumped at every change: persistence ignores writes older than what it holds. */
  version: number;
}

export interface AvisOrigineInput {
  avis: { codeFormation: string; avis: string; commentaire: string }[];
  acteur: Acteur;
}

export interface PlanificationInput {
  date: IsoDate;
  heure: string;
  lieu: string;
  mode: ModeEntretien;
  derogation?: boolean;
  acteur: Acteur;
}

export interface ConstatEntretienInput {
  present: boolean;
  acteur: Acteur;
}

export interface CompteRenduInput {
  texte: string;
  avis: { codeFormation: string; avis: string }[];
  /** Formations of the same domaine the pupil asked for at the interview: they become new vœux. */
  voeuxSupplementaires?: (VoeuDemande & { avis: string })[];
  acteur: Acteur;
}

export interface ActeurInput {
  acteur: Acteur;
}

export interface SaisieAffelnetInput {
  voeux: string[];
  acteur: Acteur;
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

/** Registers the pupil (from recensement) or adds vœux to a registration: the update-with-start of inscription. */
export const inscrireUpdate = defineUpdate<CandidatureState, [AjoutVoeuxInput]>('inscrire');
export const saisirAvisOrigineUpdate = defineUpdate<CandidatureState, [AvisOrigineInput]>('saisirAvisOrigine');
export const planifierEntretienUpdate = defineUpdate<CandidatureState, [PlanificationInput]>('planifierEntretien');
export const constaterEntretienUpdate = defineUpdate<CandidatureState, [ConstatEntretienInput]>('constaterEntretien');
export const saisirCompteRenduUpdate = defineUpdate<CandidatureState, [CompteRenduInput]>('saisirCompteRendu');
export const confirmerFamilleUpdate = defineUpdate<CandidatureState, [ActeurInput]>('confirmerFamille');
export const saisirAffelnetUpdate = defineUpdate<CandidatureState, [SaisieAffelnetInput]>('saisirAffelnet');
export const desisterUpdate = defineUpdate<CandidatureState, [DesistementInput]>('desister');

/**
 * How every caller starts a candidature: an inscription joins the running workflow; a closed one (désistée,
 * clôturée) is never started again, so a pupil never gets a second interview in a domain.
 */
export const candidatureStartPolicy = {
  workflowIdConflictPolicy: 'USE_EXISTING',
  workflowIdReusePolicy: 'REJECT_DUPLICATE',
} as const;

/**
 * Why a validator refused an action (the failure's type): the candidature is over, a conflict with where it
 * is (step, already done, too early), a value the procedure does not admit, or an actor who may not take it.
 */
export const refus = {
  terminee: 'CandidatureTerminee',
  etape: 'ActionHorsEtape',
  saisie: 'SaisieRefusee',
  acteur: 'ActeurNonAutorise',
} as const;
export type TypeRefus = (typeof refus)[keyof typeof refus];

/** The reason given for any action on a closed candidature, by its workflow or by the API once the run has ended. */
export const messageCandidatureTerminee = (etape: Etape) => `la candidature est terminée (${etape}) : aucune action n'est plus possible`;

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
