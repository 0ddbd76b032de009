// Custom search attributes: what the SAIO filters on in the Temporal UI. Registered by the dev launcher,
// the test servers and docker-compose from this one list.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const etapeKey = defineSearchAttributeKey('PassproEtape', SearchAttributeType.KEYWORD);
export const campagneKey = defineSearchAttributeKey('PassproCampagne', SearchAttributeType.KEYWORD);
export const domaineKey = defineSearchAttributeKey('PassproDomaine', SearchAttributeType.KEYWORD);
export const ineKey = defineSearchAttributeKey('PassproIne', SearchAttributeType.KEYWORD);
export const uaiOrigineKey = defineSearchAttributeKey('PassproUaiOrigine', SearchAttributeType.KEYWORD);
export const uaiAccueilKey = defineSearchAttributeKey('PassproUaiAccueil', SearchAttributeType.KEYWORD);
/** The next deadline of the candidature, whatever it is. */
export const echeanceKey = defineSearchAttributeKey('PassproEcheance', SearchAttributeType.DATETIME);
/** When the candidature entered its current step: "stuck since". */
export const etapeDepuisKey = defineSearchAttributeKey('PassproEtapeDepuis', SearchAttributeType.DATETIME);
/** A deadline passed without the expected action (late or stalled). */
export const enRetardKey = defineSearchAttributeKey('PassproEnRetard', SearchAttributeType.BOOL);
export const avisFinalKey = defineSearchAttributeKey('PassproAvisFinal', SearchAttributeType.KEYWORD_LIST);

export const passproSearchAttributes = [
  etapeKey,
  campagneKey,
  domaineKey,
  ineKey,
  uaiOrigineKey,
  uaiAccueilKey,
  echeanceKey,
  etapeDepuisKey,
  enRetardKey,
  avisFinalKey,
] as const;

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
