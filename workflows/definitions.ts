// The contract between the candidature workflow and its callers (API, tests): updates and queries, defined once
// (the workflow ids: platform/identifiants-candidature.ts). The state and the actions' arguments are the domain's (domain/candidature.ts).
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Action } from '../domain/autorisations';
import type {
  ActeurInput,
  AjoutVoeuxInput,
  AnnulationEntretienInput,
  AvisOrigineInput,
  CandidatureState,
  CompteRenduInput,
  Etape,
  ConstatEntretienInput,
  DesistementInput,
  PlanificationInput,
  SaisieAffelnetInput,
} from '../domain/candidature';
import type { Arguments } from '../domain/procedure';

export const stateQuery = defineQuery<CandidatureState>('state');

/**
 * What an update answers: the action is taken and written, at this version. The state itself is read where the
 * workflow wrote it (the API reads the database), so that it does not travel in every update's history event.
 */
export interface Accuse {
  id: string;
  etape: Etape;
  version: number;
}

/** Registers the pupil (from recensement) or adds vœux to a registration: the update-with-start of inscription. */
export const inscrireUpdate = defineUpdate<Accuse, [AjoutVoeuxInput]>('inscrire');
export const saisirAvisOrigineUpdate = defineUpdate<Accuse, [AvisOrigineInput]>('saisirAvisOrigine');
export const planifierEntretienUpdate = defineUpdate<Accuse, [PlanificationInput]>('planifierEntretien');
export const constaterEntretienUpdate = defineUpdate<Accuse, [ConstatEntretienInput]>('constaterEntretien');
export const saisirCompteRenduUpdate = defineUpdate<Accuse, [CompteRenduInput]>('saisirCompteRendu');
export const confirmerFamilleUpdate = defineUpdate<Accuse, [ActeurInput]>('confirmerFamille');
export const saisirAffelnetUpdate = defineUpdate<Accuse, [SaisieAffelnetInput]>('saisirAffelnet');
export const annulerEntretienUpdate = defineUpdate<Accuse, [AnnulationEntretienInput]>('annulerEntretien');
export const desisterUpdate = defineUpdate<Accuse, [DesistementInput]>('desister');

/** The update of each staff action (domain/autorisations.ts names them). */
export const updates: { [A in Action]: UpdateDefinition<Accuse, [Arguments[A]]> } = {
  inscription: inscrireUpdate,
  'avis-origine': saisirAvisOrigineUpdate,
  entretien: planifierEntretienUpdate,
  'constat-entretien': constaterEntretienUpdate,
  'compte-rendu': saisirCompteRenduUpdate,
  'confirmation-famille': confirmerFamilleUpdate,
  'saisie-affelnet': saisirAffelnetUpdate,
  'annulation-entretien': annulerEntretienUpdate,
  desistement: desisterUpdate,
};

/**
 * How every caller starts a candidature: an inscription joins the running workflow; a closed one (désistée,
 * clôturée) is never started again, so a pupil never gets a second interview in a domain.
 */
export const candidatureStartPolicy = {
  workflowIdConflictPolicy: 'USE_EXISTING',
  // A run that failed (its first state could not be written) may start again with a corrected inscription.
  workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
} as const;

/** The failure type of a write the database refused for good (activities/persistence.ts): retrying cannot help. */
export const ecritureImpossible = 'EcritureImpossible';

