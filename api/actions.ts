// The staff actions on a candidature, once: path, body schema, workflow update, who may take it. The
// app registers them from this table and the OpenAPI document describes them from it.
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import {
  confirmerFamilleUpdate,
  constaterEntretienUpdate,
  desisterUpdate,
  inscrireUpdate,
  planifierEntretienUpdate,
  saisirAffelnetUpdate,
  saisirAvisOrigineUpdate,
  saisirCompteRenduUpdate,
  type Acteur,
  type Role,
  type CandidatureState,
} from '../workflows/definitions';
import { rolesParAction, type Action } from './auth';
import {
  avisOrigineSchema,
  compteRenduSchema,
  constatEntretienSchema,
  desistementSchema,
  planificationSchema,
  saisieAffelnetSchema,
  sansCorpsSchema,
  voeuxSchema,
} from './schemas';

export interface ActionDef {
  path: Action;
  resume: string;
  schema: z.ZodType<object>;
  /** Its argument is the validated body plus who acts (from the token): typed by `action()` below. */
  update: UpdateDefinition<CandidatureState, [never]>;
  roles: readonly Role[];
  /** The vœux the action adds to the candidature (checked against the catalogue), with the body field of each. */
  voeuxAjoutes?(corps: object): { codeFormation: string; champ: string }[];
}

/** The body schema must give the update's argument but `acteur`, which the API adds from the token. */
function action<A extends { acteur: Acteur }>(
  path: Action,
  resume: string,
  schema: z.ZodType<Omit<A, 'acteur'>>,
  update: UpdateDefinition<CandidatureState, [A]>,
  voeuxAjoutes?: (corps: Omit<A, 'acteur'>) => { codeFormation: string; champ: string }[],
): ActionDef {
  return { path, resume, schema, update: update as UpdateDefinition<CandidatureState, [never]>, roles: rolesParAction[path], voeuxAjoutes: voeuxAjoutes as ActionDef['voeuxAjoutes'] };
}

const champsDesVoeux = (chemin: string, voeux: { codeFormation: string }[] = []) =>
  voeux.map((v, i) => ({ codeFormation: v.codeFormation, champ: `body.${chemin}.${i}.codeFormation` }));

export const actions: ActionDef[] = [
  action('inscription', 'Inscrire un élève recensé, ou ajouter des vœux à son inscription', voeuxSchema, inscrireUpdate, (c) => champsDesVoeux('voeux', c.voeux)),
  action('avis-origine', "Saisir l'avis d'origine et son commentaire, par vœu (avant l'entretien)", avisOrigineSchema, saisirAvisOrigineUpdate),
  action('entretien', "Planifier (ou modifier) l'entretien : date, heure, lieu, mode ; la convocation part", planificationSchema, planifierEntretienUpdate),
  action('constat-entretien', "Constater l'entretien tenu, ou l'absence de l'élève", constatEntretienSchema, constaterEntretienUpdate),
  action('compte-rendu', "Saisir le compte rendu et l'avis d'accueil de chaque vœu (et d'un vœu ajouté en entretien)", compteRenduSchema, saisirCompteRenduUpdate, (c) =>
    champsDesVoeux('voeuxSupplementaires', c.voeuxSupplementaires),
  ),
  action('confirmation-famille', 'Enregistrer la confirmation du choix par la famille', sansCorpsSchema, confirmerFamilleUpdate),
  action('saisie-affelnet', 'Enregistrer la saisie des vœux dans AFFELNET', saisieAffelnetSchema, saisirAffelnetUpdate),
  action('desistement', "Désister l'élève : la candidature se termine, le créneau est libéré", desistementSchema, desisterUpdate),
];
