// The staff actions on a candidature, once: path, body schema, workflow update, who may take it. The
// app registers them from this table and the OpenAPI document describes them from it.
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import type { Acteur, Role } from '../domain/candidature';
import { annulerEntretienUpdate, type Accuse, confirmerFamilleUpdate, constaterEntretienUpdate, desisterUpdate, inscrireUpdate, planifierEntretienUpdate, saisirAffelnetUpdate, saisirAvisOrigineUpdate, saisirCompteRenduUpdate } from '../workflows/definitions';
import { autorisations, type Action } from '../domain/autorisations';
import {
  annulationEntretienSchema,
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
  update: UpdateDefinition<Accuse, [never]>;
  roles: readonly Role[];
}

/** The body schema must give the update's argument but `acteur`, which the API adds from the token. */
function action<A extends { acteur: Acteur }>(
  path: Action,
  resume: string,
  schema: z.ZodType<Omit<A, 'acteur'>>,
  update: UpdateDefinition<Accuse, [A]>,
): ActionDef {
  return { path, resume, schema, update: update as UpdateDefinition<Accuse, [never]>, roles: autorisations[path].roles };
}

export const actions: ActionDef[] = [
  action('inscription', 'Inscrire un élève recensé, ou ajouter des vœux à son inscription', voeuxSchema, inscrireUpdate),
  action('avis-origine', "Saisir l'avis d'origine et son commentaire, par vœu (avant l'entretien)", avisOrigineSchema, saisirAvisOrigineUpdate),
  action('entretien', "Planifier (ou modifier) l'entretien : date, heure, lieu, mode ; la convocation part", planificationSchema, planifierEntretienUpdate),
  action('constat-entretien', "Constater l'entretien tenu, ou l'absence de l'élève", constatEntretienSchema, constaterEntretienUpdate),
  action('compte-rendu', "Saisir le compte rendu et l'avis d'accueil de chaque vœu (et d'un vœu ajouté en entretien)", compteRenduSchema, saisirCompteRenduUpdate),
  action('confirmation-famille', 'Enregistrer la confirmation du choix par la famille', sansCorpsSchema, confirmerFamilleUpdate),
  action('saisie-affelnet', 'Enregistrer la saisie des vœux dans AFFELNET', saisieAffelnetSchema, saisirAffelnetUpdate),
  action(
    'annulation-entretien',
    "Annuler l'entretien planifié, avec son motif (le lycée, ou le collège qui annonce l'absence de l'élève avant l'heure) : l'annulation part avec le .ics, la candidature revient à planifier, le créneau est libéré",
    annulationEntretienSchema,
    annulerEntretienUpdate,
  ),
  action('desistement', "Désister l'élève : la candidature se termine, le créneau est libéré", desistementSchema, desisterUpdate),
];
