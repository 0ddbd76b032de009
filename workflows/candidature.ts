// The candidature workflow: one pupil × one domaine × one campagne, from inscription to closure.
// Pure and deterministic: activities are imported as types only and reached through proxyActivities.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  ajouterVoeuxUpdate,
  desisterUpdate,
  etatQuery,
  type Acteur,
  type CandidatureInput,
  type CandidatureState,
  type Etape,
  type VoeuDemande,
} from './definitions';
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

const { enregistrerCandidature, envoyerCourriel } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export interface CandidatureWorkflowInput extends CandidatureInput {
  /** End of the campaign (ISO instant): the candidature closes then at the latest. */
  clotureLe: string;
}

export async function candidatureWorkflow(input: CandidatureWorkflowInput): Promise<CandidatureState> {
  const now = () => new Date().toISOString();
  const state: CandidatureState = {
    id: workflowInfo().workflowId,
    campagneId: input.campagneId,
    eleve: input.eleve,
    domaine: input.domaine,
    modalite: input.modalite,
    uaiAccueil: input.uaiAccueil,
    etape: 'a_planifier',
    etapeDepuis: now(),
    echeance: input.clotureLe,
    enRetard: false,
    voeux: [],
    historique: [],
    version: 0,
  };

  function noter(type: string, acteur: Acteur, details?: Record<string, unknown>): void {
    state.historique.push({ type, acteur, survenuLe: now(), details });
    state.version += 1;
  }

  function passerA(etape: Etape): void {
    state.etape = etape;
    state.etapeDepuis = now();
    upsertSearchAttributes([
      { key: etapeKey, value: etape },
      { key: etapeDepuisKey, value: new Date(state.etapeDepuis) },
    ]);
  }

  function ajouterVoeux(voeux: VoeuDemande[]): void {
    for (const voeu of voeux) {
      if (state.voeux.some((v) => v.codeFormation === voeu.codeFormation)) continue;
      state.voeux.push({ ...voeu, rang: state.voeux.length + 1, ajouteEnEntretien: false });
    }
  }

  const terminee = () => state.etape === 'desistee' || state.etape === 'cloturee';

  setHandler(etatQuery, () => state);

  setHandler(
    ajouterVoeuxUpdate,
    async ({ voeux, acteur }) => {
      ajouterVoeux(voeux);
      noter('voeux_ajoutes', acteur, { voeux: voeux.map((v) => v.codeFormation) });
      await enregistrerCandidature(state);
      return state;
    },
    {
      validator: ({ voeux }) => {
        if (terminee()) throw new Error(`la candidature est ${state.etape} : aucun vœu ne peut être ajouté`);
        if (voeux.length === 0) throw new Error('au moins un vœu est attendu');
      },
    },
  );

  setHandler(
    desisterUpdate,
    async ({ motif, acteur }) => {
      passerA('desistee');
      state.echeance = null;
      upsertSearchAttributes([{ key: echeanceKey, value: null }]);
      noter('desistement', acteur, { motif });
      await enregistrerCandidature(state);
      await envoyerCourriel({
        cle: `${state.id}/desistement`,
        candidatureId: state.id,
        gabarit: 'desistement',
        destinataires: { etablissements: [state.uaiAccueil] },
        donnees: { candidature: state, motif },
      });
      return state;
    },
    {
      validator: ({ motif }) => {
        if (terminee()) throw new Error(`la candidature est déjà ${state.etape}`);
        if (motif.trim().length === 0) throw new Error('le motif du désistement est obligatoire');
      },
    },
  );

  if (input.voeux.length === 0) {
    throw ApplicationFailure.nonRetryable('une candidature porte au moins un vœu', 'CandidatureInvalide');
  }
  ajouterVoeux(input.voeux);
  noter('inscription', input.acteur, { voeux: input.voeux.map((v) => v.codeFormation) });
  upsertSearchAttributes([
    { key: campagneKey, value: input.campagneId },
    { key: domaineKey, value: input.domaine.code },
    { key: ineKey, value: input.eleve.ine },
    { key: uaiOrigineKey, value: input.eleve.uaiOrigine },
    { key: uaiAccueilKey, value: input.uaiAccueil },
    { key: echeanceKey, value: new Date(input.clotureLe) },
    { key: enRetardKey, value: false },
    { key: avisFinalKey, value: [] },
  ]);
  passerA('a_planifier');
  await enregistrerCandidature(state);

  const avantCloture = new Date(input.clotureLe).getTime() - Date.now();
  const closed = avantCloture <= 0 || !(await condition(terminee, avantCloture));
  if (closed && !terminee()) {
    passerA('cloturee');
    state.echeance = null;
    upsertSearchAttributes([{ key: echeanceKey, value: null }]);
    noter('cloture', { role: 'systeme', uai: null, nom: 'Passpro' });
    await enregistrerCandidature(state);
  }
  await condition(allHandlersFinished);
  return state;
}
