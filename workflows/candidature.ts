// The candidature workflow: Temporal's wiring around the procedure (domain/procedure.ts). Staff actions
// arrive as updates whose validators are the procedure's checks; a handler applies the procedure's
// transition and carries out its effects through activities; the main loop sleeps until the next dated
// consequence, or until an action changes which one is next. Deterministic: activities are types only.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair, UpdateDefinition } from '@temporalio/common';
import type { Activities, CourrielDemande } from '../activities';
import { actions, type Action } from '../domain/autorisations';
import type { CandidatureInput, CandidatureState } from '../domain/candidature';
import {
  appliquer,
  demarrer,
  estTerminee,
  MatriceIncomplete,
  prochainReveil,
  Refus,
  traiterEcheances,
  verifier,
  type Arguments,
  type Transition,
} from '../domain/procedure';
import { etatQuery, updates } from './definitions';
import {
  avisFinalKey,
  campagneKey,
  domaineKey,
  echeanceKey,
  enRetardKey,
  etapeDepuisKey,
  etapeKey,
  ineKey,
  uaiAccueilKey,
  uaiOrigineKey,
} from './search-attributes';

const optionsActivites = {
  startToCloseTimeout: '1 minute',
  // No maximum attempts: an outage of the database or of SMTP delays the consequences, it loses none.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
} as const;
const { enregistrerCandidature, envoyerCourriel, enregistrerRappel } = proxyActivities<Activities>(optionsActivites);
/**
 * The write of a deadline's consequences, run by the worker within the workflow task that the deadline woke:
 * no activity task, no second workflow task. Only the main loop uses it, one at a time; the handlers' writes
 * stay activities, since a local activity of a handler and one of the loop resolved in the same task replay
 * in another order than they ran.
 */
const { enregistrerCandidature: enregistrerEcheances } = proxyLocalActivities<Activities>(optionsActivites);

export async function candidatureWorkflow(input: CandidatureInput): Promise<CandidatureState> {
  const { campagne } = input;
  let state = demarrer(workflowInfo().workflowId, input, new Date());

  // Mails leave from the main loop, not from the handlers: a staff action is answered once its change is
  // saved, even while SMTP is down; the mail follows when SMTP is back. Each carries the state it announces.
  const courriels: CourrielDemande[] = [];

  /** Takes the transition's state, then carries out its effects in order. */
  async function executer({ state: suivant, effets }: Transition, enregistrer = enregistrerCandidature): Promise<void> {
    state = suivant;
    publier();
    for (const effet of effets) {
      if (effet.type === 'enregistrer') await (effet.rappels.length > 0 ? enregistrer(state, effet.rappels) : enregistrer(state));
      else if (effet.type === 'courriel') courriels.push({ ...effet.courriel, candidature: state });
      else await enregistrerRappel(effet.rappel);
    }
  }

  async function envoyerCourriels(): Promise<void> {
    for (let demande = courriels.shift(); demande; demande = courriels.shift()) await envoyerCourriel(demande);
  }

  // ---- search attributes: what the SAIO filters on, published once for the changes made in a workflow task ----

  const publies = new Map<string, string>();
  let publicationPrevue = false;
  function publier(): void {
    if (publicationPrevue) return;
    publicationPrevue = true;
    // The microtask runs once the activation's synchronous code has returned or awaits; the SDK completes an
    // activation only after its microtasks, so the changes of one task make one upsert.
    void Promise.resolve().then(() => {
      publicationPrevue = false;
      const attributs: SearchAttributeUpdatePair[] = [
        { key: campagneKey, value: state.campagneId },
        { key: domaineKey, value: state.domaine.code },
        { key: ineKey, value: state.eleve.ine },
        { key: uaiOrigineKey, value: state.eleve.uaiOrigine },
        { key: uaiAccueilKey, value: state.uaiAccueil },
        { key: etapeKey, value: state.etape },
        { key: etapeDepuisKey, value: new Date(state.etapeDepuis) },
        { key: echeanceKey, value: state.prochaineEcheance ? new Date(state.prochaineEcheance) : null },
        { key: enRetardKey, value: state.retards.length > 0 },
        { key: avisFinalKey, value: [...new Set(state.voeux.flatMap((v) => (v.avisFinal ? [v.avisFinal] : [])))] },
      ];
      const changes = attributs.filter(({ key, value }) => {
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

  setHandler(etatQuery, () => state);

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
    const update: UpdateDefinition<CandidatureState, [Arguments[A]]> = updates[action];
    setHandler(
      update,
      async (args: Arguments[A]) => {
        await executer(parLaProcedure(() => appliquer(action, state, args, new Date(), campagne)));
        return state;
      },
      { validator: (args: Arguments[A]) => parLaProcedure(() => verifier(action, state, args, new Date(), campagne)) },
    );
  }
  const versionAuDemarrage = state.version;
  for (const action of actions) recevoir(action);

  // An inscription delivered with the start has written the first state by now; a recensement writes it here.
  if (state.version === versionAuDemarrage) await enregistrerCandidature(state);

  // ---- dated consequences ----

  while (!estTerminee(state)) {
    const version = state.version;
    const delai = prochainReveil(state, campagne)! - Date.now();
    // An action changes the state, and with it which consequences are due: wake up, send its mails, recompute.
    if (delai > 0 && (await condition(() => state.version !== version || courriels.length > 0, delai))) {
      await envoyerCourriels();
      continue;
    }
    await executer(traiterEcheances(state, new Date(), campagne), enregistrerEcheances);
  }

  await condition(allHandlersFinished);
  await envoyerCourriels();
  return state;
}
