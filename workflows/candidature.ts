// The candidature workflow: Temporal's wiring around the procedure (domain/procedure.ts). Staff actions are
// updates validated by the procedure's checks; a handler applies its transition and carries out the effects
// through activities; the loop sleeps until the next consequence, or until an action changes which is next.
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Activities, CandidatureAnnoncee, CourrielDemande } from '../activities';
import { actions, type Action } from '../domain/autorisations';
import { changementsDepuis, type CandidatureInput, type CandidatureState } from '../domain/candidature';
import {
  appliquer,
  demarrer,
  detailsEnCours,
  estTerminee,
  MatriceIncomplete,
  prochainReveil,
  refus,
  Refus,
  traiterEcheances,
  verifier,
  type Arguments,
  type Transition,
} from '../domain/procedure';
import { ecritureImpossible, stateQuery, updates, type Accuse } from './definitions';
import { attributsDe } from './search-attributes';

const optionsActivites = {
  startToCloseTimeout: '1 minute',
  // No maximum attempts: an outage of the database or of SMTP delays the consequences, it loses none.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
} as const;
const { saveCandidature, sendCourriel, saveRappel, reportIncident } = proxyActivities<Activities>(optionsActivites);
/**
 * The write of a deadline's consequences, run by the worker within the workflow task that the deadline woke:
 * no activity task, no second workflow task. Only the main loop uses it, one at a time; the handlers' writes
 * stay activities, since a local activity of a handler and one of the loop resolved in the same task replay
 * in another order than they ran.
 */
const { saveCandidature: saveConsequences } = proxyLocalActivities<Activities>(optionsActivites);

/** Its result is what became of it; the state stays readable by the `state` query and in the database. */
export async function candidatureWorkflow(input: CandidatureInput): Promise<Accuse> {
  const { campagne } = input;
  let state = demarrer(workflowInfo().workflowId, input, new Date());

  // Mails leave from the main loop, not from the handlers: a staff action is answered once its change is
  // saved, even while SMTP is down; the mail follows when SMTP is back. Each carries the state it announces.
  const courriels: CourrielDemande[] = [];

  let incident = false;
  /** The latest state the database holds: a write then carries what changed since. */
  let ecrite: CandidatureState | null = null;
  let ecritures = 0; // writes in flight
  /**
   * Takes the transition's state, then carries out its effects in order. A write the database refuses for good
   * (activities/persistence.ts) is an incident: a staff action's saisie is undone and refused, so that the next
   * valid action is taken; a first state that cannot be written stops the run (a corrected inscription starts
   * it again); a deadline's consequences are written with the next change.
   */
  async function executer(transition: Transition, origine: 'action' | 'demarrage' | 'echeances', enregistrer = saveCandidature): Promise<void> {
    const avant = state;
    state = transition.state;
    publier();
    for (const effet of transition.effets) {
      if (effet.type === 'courriel') courriels.push({ ...effet.courriel, candidature: annoncee(state) });
      else if (effet.type === 'rappel') await saveRappel(effet.rappel);
      else {
        ecritures += 1;
        const envoye = state;
        const ecriture = ecrite ? changementsDepuis(ecrite, envoye) : envoye;
        try {
          await (effet.rappels.length > 0 ? enregistrer(ecriture, effet.rappels) : enregistrer(ecriture));
          if (!ecrite || ecrite.version < envoye.version) ecrite = envoye;
        } catch (error) {
          const code = codeEcritureImpossible(error);
          if (code === null) throw error;
          const annulee = origine === 'action' && state === transition.state;
          if (annulee) state = avant;
          incident = true;
          publier();
          const { id: candidatureId, campagneId, version } = transition.state;
          await reportIncident({ candidatureId, campagneId, action: origine, version, code, annulee, survenuLe: new Date().toISOString() });
          if (origine === 'action') {
            throw ApplicationFailure.create({ type: refus.saisie, message: 'la saisie contient un caractère que Passpro ne peut pas enregistrer : corrigez-la', nonRetryable: true });
          }
          if (origine === 'demarrage') throw ApplicationFailure.nonRetryable('la candidature ne peut pas être enregistrée', ecritureImpossible);
          return;
        } finally {
          ecritures -= 1;
        }
      }
    }
  }

  const sendCourriels = async () => {
    for (let demande = courriels.shift(); demande; demande = courriels.shift()) await sendCourriel(demande);
  };

  // ---- search attributes, what the SAIO filters on, and the details its Temporal UI shows: published once
  // for the changes made in a workflow task ----
  const publies = new Map<string, string>();
  let publicationPrevue = false;
  function publier(): void {
    if (publicationPrevue) return;
    publicationPrevue = true;
    // The microtask runs once the activation's synchronous code has returned or awaits; the SDK completes an
    // activation only after its microtasks, so the changes of one task make one upsert.
    void Promise.resolve().then(() => {
      publicationPrevue = false;
      setCurrentDetails(detailsEnCours(state, campagne));
      const changes = attributsDe(state, incident).filter(({ key, value }) => {
        const valeur = JSON.stringify(value);
        if (publies.get(key.name) === valeur) return false;
        publies.set(key.name, valeur);
        return true;
      });
      if (changes.length > 0) upsertSearchAttributes(changes);
    });
  }
  publier();

  // ---- staff actions: the state is complete before any handler is set, because setting a handler runs the
  // updates already buffered for it (update-with-start delivers the inscription with the start) ----

  setHandler(stateQuery, () => state);
  const accuse = (): Accuse => ({ id: state.id, etape: state.etape, version: state.version });

  function parLaProcedure<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof Refus) throw ApplicationFailure.create({ type: error.type, message: error.message, nonRetryable: true });
      if (error instanceof MatriceIncomplete) throw ApplicationFailure.nonRetryable(error.message, error.name);
      throw error;
    }
  }

  function recevoir<A extends Action>(action: A): void {
    const update: UpdateDefinition<Accuse, [Arguments[A]]> = updates[action];
    setHandler(
      update,
      async (args: Arguments[A]): Promise<Accuse> => {
        await executer(parLaProcedure(() => appliquer(action, state, args, new Date(), campagne)), 'action');
        return accuse();
      },
      { validator: (args: Arguments[A]) => parLaProcedure(() => verifier(action, state, args, new Date(), campagne)) },
    );
  }
  for (const action of actions) recevoir(action);

  // ---- the first write, then the dated consequences ----

  const premiereEcriture = () => ecrite === null && ecritures === 0;
  while (!estTerminee(state)) {
    // An inscription delivered with the start writes the first state; a recensement (or a refused inscription) here.
    if (premiereEcriture()) await executer({ state, effets: [{ type: 'enregistrer', rappels: [] }] }, 'demarrage');
    const version = state.version;
    const reveil = prochainReveil(state, campagne)!;
    const delai = reveil.le - Date.now();
    // An action changes the state, and with it which consequences are due: wake up, send its mails, recompute.
    const reveille = () => state.version !== version || courriels.length > 0 || premiereEcriture();
    if (delai > 0 && (await condition(reveille, delai, { summary: reveil.libelle }))) {
      await sendCourriels();
      continue;
    }
    await executer(traiterEcheances(state, new Date(), campagne), 'echeances', saveConsequences);
  }

  await condition(allHandlersFinished);
  await sendCourriels();
  return accuse();
}

/** The SQLSTATE of a write the database refused for good, or null for any other failure. */
function codeEcritureImpossible(error: unknown): string | null {
  const echec = error instanceof ActivityFailure ? error.cause : error;
  if (!(echec instanceof ApplicationFailure) || echec.type !== ecritureImpossible) return null;
  return ((echec.details ?? []) as { code?: string }[])[0]?.code ?? 'inconnu';
}

/** What a mail announces of the candidature: its state but the history and the handled keys, which no mail shows. */
const annoncee = ({ historique: _h, evenementsTraites: _e, ...candidature }: CandidatureState): CandidatureAnnoncee => candidature;
