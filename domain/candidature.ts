// A candidature, as DOMAIN.md tells it: one pupil × one domaine × one campagne, its vœux and their avis,
// the interview, the compte rendu, the deadlines and the history. Plain data: the workflow keeps it, the
// database holds a copy, the API and the pages show it.
import type { AvisFinal } from './avis';
import type { Campagne } from './campaign';
import type { IsoDate } from './calendar';

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
  /** How long it is booked for (its créneau's length, or what the lycée typed): calendars and clashes read it. */
  dureeMinutes: number;
  /** Set when the date is a weekend, a public holiday or past the interviews, allowed explicitly. */
  derogation: boolean;
  /** Why the dérogation was granted (by the lycée's head or the SAIO); null without one. */
  motifDerogation: string | null;
  /** Bumped at every change of date, time, place or mode: the calendar invitation's SEQUENCE. */
  sequence: number;
  /** `annule` once the candidature is withdrawn, or the interview cancelled, before it was held. */
  statut: 'planifie' | 'tenu' | 'absent' | 'annule';
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
  /** Absent: the usual length of an interview, `DUREE_ENTRETIEN_MINUTES`. */
  dureeMinutes?: number;
  derogation?: boolean;
  /** Required with a dérogation. */
  motifDerogation?: string;
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

/** The lycée cancels a planned interview, or the collège announces that the pupil will not come. */
export interface AnnulationEntretienInput {
  motif: string;
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

// ---- what a write of the state carries ----

/**
 * What changed in the state since a version already written: the top-level fields that differ, whole, and the
 * entries added to the history, which only grows. The write of a state then carries what it has to write.
 */
export interface ChangementsEtat {
  id: string;
  /** The version already written, which these changes apply to, and the one they make. */
  depuis: number;
  version: number;
  champs: Partial<Omit<CandidatureState, 'historique'>>;
  historique: { apres: number; entrees: HistoriqueEntree[] };
}

/** A write of the state: the whole state (the first one), or what changed since one written. */
export type EcritureEtat = CandidatureState | ChangementsEtat;

export const estChangements = (ecriture: EcritureEtat): ecriture is ChangementsEtat => 'depuis' in ecriture;

export function changementsDepuis(ecrit: CandidatureState, state: CandidatureState): ChangementsEtat {
  const champs: Record<string, unknown> = {};
  for (const [cle, valeur] of Object.entries(state)) {
    if (cle !== 'historique' && JSON.stringify(valeur) !== JSON.stringify(ecrit[cle as keyof CandidatureState])) champs[cle] = valeur;
  }
  const apres = ecrit.historique.length;
  return { id: state.id, depuis: ecrit.version, version: state.version, champs, historique: { apres, entrees: state.historique.slice(apres) } };
}

/**
 * The state these changes make from a stored one at their base version or later: the writes of one candidature
 * follow one another, so a later stored state already holds some of the changes and the rest complete it.
 */
export function appliquerChangements(stocke: CandidatureState, changements: ChangementsEtat): CandidatureState {
  const { apres, entrees } = changements.historique;
  return { ...stocke, ...changements.champs, historique: [...stocke.historique.slice(0, apres), ...entrees] };
}
