// Custom search attributes: what the SAIO filters on in the Temporal UI. Registered by the dev launcher,
// the test servers and docker-compose from this one list. Temporal keeps them in clear (the payload codec
// encrypts payloads only): none names or identifies a pupil.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import type { CandidatureState } from '../domain/candidature';

export const etapeKey = defineSearchAttributeKey('PassproEtape', SearchAttributeType.KEYWORD);
export const campagneKey = defineSearchAttributeKey('PassproCampagne', SearchAttributeType.KEYWORD);
export const domaineKey = defineSearchAttributeKey('PassproDomaine', SearchAttributeType.KEYWORD);
export const uaiOrigineKey = defineSearchAttributeKey('PassproUaiOrigine', SearchAttributeType.KEYWORD);
export const uaiAccueilKey = defineSearchAttributeKey('PassproUaiAccueil', SearchAttributeType.KEYWORD);
/** The next deadline of the candidature, whatever it is. */
export const echeanceKey = defineSearchAttributeKey('PassproEcheance', SearchAttributeType.DATETIME);
/** When the candidature entered its current step: "stuck since". */
export const etapeDepuisKey = defineSearchAttributeKey('PassproEtapeDepuis', SearchAttributeType.DATETIME);
/** A deadline passed without the expected action (late or stalled). */
export const enRetardKey = defineSearchAttributeKey('PassproEnRetard', SearchAttributeType.BOOL);
export const avisFinalKey = defineSearchAttributeKey('PassproAvisFinal', SearchAttributeType.KEYWORD_LIST);
/** A write the database refused for good happened on this candidature (the SAIO's "Incidents"). */
export const incidentKey = defineSearchAttributeKey('PassproIncident', SearchAttributeType.BOOL);

export const passproSearchAttributes = [
  etapeKey,
  campagneKey,
  domaineKey,
  uaiOrigineKey,
  uaiAccueilKey,
  echeanceKey,
  etapeDepuisKey,
  enRetardKey,
  avisFinalKey,
  incidentKey,
] as const;

/** Every attribute's value for this state: the workflow publishes those that changed. */
export function attributsDe(state: CandidatureState, incident: boolean): SearchAttributeUpdatePair[] {
  return [
    { key: campagneKey, value: state.campagneId },
    { key: domaineKey, value: state.domaine.code },
    { key: uaiOrigineKey, value: state.eleve.uaiOrigine },
    { key: uaiAccueilKey, value: state.uaiAccueil },
    { key: etapeKey, value: state.etape },
    { key: etapeDepuisKey, value: new Date(state.etapeDepuis) },
    { key: echeanceKey, value: state.prochaineEcheance ? new Date(state.prochaineEcheance) : null },
    { key: enRetardKey, value: state.retards.length > 0 },
    { key: avisFinalKey, value: [...new Set(state.voeux.flatMap((v) => (v.avisFinal ? [v.avisFinal] : [])))] },
    ...(incident ? [{ key: incidentKey, value: true }] : []),
  ];
}

/** The `NAME=Type` spelling of the Temporal CLI (`--search-attribute`, `operator search-attribute create`). */
export const cliSearchAttributeTypes: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};
