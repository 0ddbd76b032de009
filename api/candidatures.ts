// The staff's actions on candidatures, one function each, called alike by the JSON routes and by the pages:
// the same checks (role, school, the workflow's validators) and the same refusals, whoever asks.
import {
  ApplicationFailure,
  Client,
  isGrpcServiceError,
  QueryNotRegisteredError,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { autorisations, type Action } from '../domain/autorisations';
import type { CandidatureInput, CandidatureState } from '../domain/candidature';
import { campagnes } from '../domain/campaigns';
import { messageCandidatureTerminee, refus, type Arguments } from '../domain/procedure';
import type { Database } from '../platform/database';
import type { candidatureWorkflow } from '../workflows';
import { candidatureWorkflowId, estCandidatureWorkflowId } from '../platform/identifiants-candidature';
import { candidatureStartPolicy, stateQuery, inscrireUpdate, updates } from '../workflows/definitions';
import { peutVoir, type Appelant } from './auth';
import { verifierInscriptionAuCatalogue, verifierVoeuxAjoutes } from './catalogue';
import { libelleEtablissement } from '../presentation/etablissements';
import { ApiError } from './errors';
import { noterLectures, type NatureLecture } from './journal';
import { autreCollegeDeLEleve, candidatureExistante, eleveDUnAutreCollege, verifierInscription, type Inscription } from './inscription';

export interface CandidaturesDeps {
  client: Client;
  db: Database;
  taskQueue: string;
  /** After a désistement or a cancelled interview: the candidature's place in a créneau is given back and offered again (api/creneaux.ts). */
  liberer?: (candidatureId: string) => Promise<void>;
  /** The key of the candidatures' pseudonymous workflow ids (config PASSPRO_ID_KEY). */
  cleIdentifiants: string;
}

const introuvable = () => new ApiError(404, 'candidature_introuvable', 'candidature introuvable');

const candidatureClose = () =>
  new ApiError(409, 'candidature_terminee', "la candidature de cet élève dans ce domaine est terminée : aucune action n'est plus possible");

/** How each kind of refusal of the procedure (domain/procedure.ts `refus`) is answered. */
const reponsesRefus: Record<string, { status: number; code: string }> = {
  [refus.terminee]: { status: 409, code: 'candidature_terminee' },
  [refus.etape]: { status: 409, code: 'action_refusee' },
  [refus.saisie]: { status: 422, code: 'saisie_refusee' },
  [refus.acteur]: { status: 403, code: 'acces_refuse' },
};

/** gRPC codes of a call Temporal could not take now, and may take if asked again: DEADLINE_EXCEEDED, UNAVAILABLE. */
const codesPassagers = new Set([4, 14]);

/**
 * Temporal cannot take the call now: its server is unreachable, or the candidature's workflow tasks are failing
 * (a worker killed or restarting: the server refuses updates from a task's third attempt until one completes).
 */
export function estPassagere(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (isGrpcServiceError(e) && codesPassagers.has(e.code)) return true;
    if (/Workflow Task in failed state/.test(e.message)) return true;
  }
  return false;
}

/** A refused update (validator) or a missing workflow becomes a 4xx with the workflow's reason; Temporal busy, a 503. */
function temporalError(error: unknown): never {
  if (error instanceof WorkflowNotFoundError || error instanceof QueryNotRegisteredError) throw introuvable();
  if (error instanceof WorkflowExecutionAlreadyStartedError) throw candidatureClose();
  if (error instanceof WorkflowUpdateFailedError) {
    const { cause } = error;
    const reponse = (cause instanceof ApplicationFailure && cause.type && reponsesRefus[cause.type]) || reponsesRefus[refus.etape];
    throw new ApiError(reponse.status, reponse.code, cause?.message ?? error.message);
  }
  if (estPassagere(error)) throw new ApiError(503, 'temporal_indisponible', 'la candidature ne peut pas être traitée pour le moment : réessayez dans une minute');
  throw error;
}

/** An action on a candidature whose workflow has ended is refused with its final step, not "not found". */
async function updateCandidature<T>(client: Client, id: string, update: (handle: WorkflowHandle) => Promise<T>): Promise<T> {
  const handle = client.workflow.getHandle(id);
  try {
    return await update(handle);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) temporalError(error);
    const { status } = await handle.describe().catch(temporalError);
    if (status.name === 'RUNNING') throw error;
    const { etape } = await handle.query(stateQuery).catch(temporalError);
    throw new ApiError(409, 'candidature_terminee', messageCandidatureTerminee(etape));
  }
}

/** An action's argument as the staff give it: who acts comes from their sign-in, never from what they send. */
export type Saisie<A extends Action> = Omit<Arguments[A], 'acteur'>;

export function createCandidatures(deps: CandidaturesDeps) {
  /** The workflow id of a pupil's candidature in a domaine (the pupil as a pseudonym). */
  const idCandidature = (campagneId: string, ine: string, domaine: string) => candidatureWorkflowId(deps.cleIdentifiants, campagneId, ine, domaine);

  /**
   * The state as JSON text, if the caller may see it; someone else's candidature is as unknown as a missing
   * one. Read from the query side, where the workflow writes it before answering any action (one indexed row
   * instead of a round trip through Temporal to the worker), and passed on as PostgreSQL gives it: the hottest
   * read of the API neither parses nor serialises it. From the workflow itself until its first write.
   * `lecture`: what the caller is shown (the JSON state, a page), recorded in the access journal before it is
   * sent; none when the state only serves an action's checks or a document recorded by its own read.
   */
  async function etatVisibleJson(id: string, qui: Appelant, lecture?: NatureLecture): Promise<string> {
    const etat = await etatSiVisible(id, qui);
    if (lecture) await noterLectures(deps.db.prisma, qui, lecture, [id]);
    return etat;
  }

  async function etatSiVisible(id: string, qui: Appelant): Promise<string> {
    if (!estCandidatureWorkflowId(id)) throw introuvable();
    const [ligne] = await deps.db.preparee<{ etat: string | null; uaiOrigine: string; uaiAccueil: string }>(
      'etat_candidature',
      'SELECT etat::text AS etat, "uaiOrigine", "uaiAccueil" FROM "Candidature" WHERE id = $1',
      [id],
    );
    if (ligne?.etat) {
      if (!peutVoir(qui, ligne)) throw introuvable();
      return ligne.etat;
    }
    const state = await deps.client.workflow.getHandle(id).query(stateQuery).catch(temporalError);
    if (!peutVoir(qui, { uaiOrigine: state.eleve.uaiOrigine, uaiAccueil: state.uaiAccueil })) throw introuvable();
    return JSON.stringify(state);
  }

  const etatVisible = async (id: string, qui: Appelant, lecture?: NatureLecture) => JSON.parse(await etatVisibleJson(id, qui, lecture)) as CandidatureState;

  /**
   * One inscription (or recensement): the checks, then the workflow started or joined. For `POST /candidatures`
   * and for each pupil × domaine of a CSV import (api/import.ts).
   */
  async function inscrire(acteur: Appelant, corps: Inscription): Promise<CandidatureState> {
    exigerRole(acteur, 'inscription');
    verifierInscription(acteur, corps);
    await verifierInscriptionAuCatalogue(deps.db.prisma, corps);
    if (await autreCollegeDeLEleve(deps.db.prisma, corps.campagneId, corps.eleve.ine, acteur.uai)) {
      throw new ApiError(409, eleveDUnAutreCollege.code, eleveDUnAutreCollege.message, 'body.eleve.ine');
    }
    const { campagneId, recensementSeulement, ...inscription } = corps;
    const campagne = campagnes[campagneId];
    const workflowId = idCandidature(campagneId, inscription.eleve.ine, inscription.domaine.code);
    const options = {
      workflowId,
      taskQueue: deps.taskQueue,
      ...candidatureStartPolicy,
      args: [{ ...inscription, campagne, recensementSeulement, acteur }] as [CandidatureInput],
      staticSummary: resumePourTemporal(inscription),
    };
    // USE_EXISTING may find another school's candidature for this pupil and domaine: say so, show nothing of it.
    const dAutrui = async () => {
      const existant = await deps.client.workflow.getHandle(workflowId).query(stateQuery).catch(temporalError);
      return !peutVoir(acteur, { uaiOrigine: existant.eleve.uaiOrigine, uaiAccueil: existant.uaiAccueil });
    };
    const existante = () => new ApiError(409, candidatureExistante.code, candidatureExistante.message);
    if (recensementSeulement) {
      await deps.client.workflow.start<typeof candidatureWorkflow>('candidatureWorkflow', options).catch(temporalError);
      if (await dAutrui()) throw existante();
      return deps.client.workflow.getHandle(workflowId).query(stateQuery).catch(temporalError);
    }
    try {
      await deps.client.workflow.executeUpdateWithStart(inscrireUpdate, {
        args: [{ voeux: inscription.voeux, acteur }],
        startWorkflowOperation: new WithStartWorkflowOperation<typeof candidatureWorkflow>('candidatureWorkflow', options),
      });
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError && (await dAutrui())) throw existante();
      temporalError(error);
    }
    // Written by the workflow before it answered.
    return etatVisible(workflowId, acteur);
  }

  /**
   * A staff action on a candidature: the role first (403, nothing looked up), then the candidature must be one
   * the caller sees (404), and only then is the workflow asked (its validators check role, school, step and
   * values again: a refusal is a 409 or a 422 with its reason).
   */
  async function agir<A extends Action>(acteur: Appelant, id: string, action: A, saisie: Saisie<A>): Promise<CandidatureState> {
    exigerRole(acteur, action);
    const etat = await etatVisibleJson(id, acteur);
    const nouveaux = voeuxAjoutes[action]?.(saisie as never) ?? [];
    if (nouveaux.length > 0) await verifierVoeuxAjoutes(deps.db.prisma, JSON.parse(etat) as CandidatureState, nouveaux);
    const args = { ...saisie, acteur } as Arguments[A];
    await updateCandidature(deps.client, id, (h) => h.executeUpdate(updates[action], { args: [args] }));
    if (action === 'desistement' || action === 'annulation-entretien') await deps.liberer?.(id);
    // Written by the workflow before it answered.
    return etatVisible(id, acteur);
  }

  return { etatVisibleJson, etatVisible, inscrire, agir, idCandidature };
}

export type Candidatures = ReturnType<typeof createCandidatures>;

const champsDesVoeux = (chemin: string, voeux: { codeFormation: string }[] = []) =>
  voeux.map((v, i) => ({ codeFormation: v.codeFormation, champ: `body.${chemin}.${i}.codeFormation` }));

/** The vœux an action adds to the candidature, with the field of each: they must be offers of the catalogue. */
const voeuxAjoutes: { [A in Action]?: (saisie: Saisie<A>) => { codeFormation: string; champ: string }[] } = {
  inscription: (s) => champsDesVoeux('voeux', s.voeux),
  'compte-rendu': (s) => champsDesVoeux('voeuxSupplementaires', s.voeuxSupplementaires),
};

/** Whether the action may add vœux, which the catalogue must offer. */
export const ajouteDesVoeux = (action: Action) => action in voeuxAjoutes;

/** 403 unless the caller's role may take the action. */
export function exigerRole(acteur: Appelant, action: Action): void {
  const { roles } = autorisations[action];
  if (!roles.includes(acteur.role)) throw new ApiError(403, 'acces_refuse', `action réservée à : ${roles.join(', ')}`);
}

/**
 * Whose candidature a workflow is, for the SAIO in the Temporal UI: the pupil's initials only (the payload
 * codec encrypts it with the rest), the domaine and the lycée.
 */
function resumePourTemporal({ eleve, domaine, uaiAccueil }: Pick<Inscription, 'eleve' | 'domaine' | 'uaiAccueil'>): string {
  const initiales = [eleve.prenom, eleve.nom].map((n) => `${Array.from(n.trim())[0]?.toLocaleUpperCase('fr-FR') ?? ''}.`).join(' ');
  return `${initiales} · ${domaine.libelle} · ${libelleEtablissement(uaiAccueil)}`;
}
