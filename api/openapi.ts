// The OpenAPI 3.1 document, generated from the very zod schemas that validate the requests (zod 4's own
// `z.toJSONSchema`: OpenAPI 3.1 schemas are JSON Schema 2020-12). Served at /openapi.json, shown at /docs.
import { z } from 'zod';
import { actions } from './actions';
import {
  candidatureEtatSchema,
  erreurSchema,
  inscriptionSchema,
  listeQuery,
  listeReponseSchema,
  santeReponseSchema,
  statistiquesQuery,
  statistiquesReponseSchema,
} from './schemas';

type Json = Record<string, unknown>;

function schema(s: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _ignored, ...json } = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  return json;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (s: Json) => ({ content: { 'application/json': { schema: s } } });

const erreur = (description: string) => ({ description, ...json(ref('Erreur')) });
const erreursCommunes = {
  400: erreur('requête invalide (`requete_invalide`, corps illisible) : le champ fautif est dans `champ`'),
  401: erreur('jeton absent, invalide ou expiré (`non_authentifie`)'),
  403: erreur('rôle non autorisé pour cette action (`acces_refuse`)'),
  413: erreur('corps de requête trop volumineux (100 ko au plus)'),
};
const introuvable = erreur("candidature inconnue, ou d'un autre établissement (`candidature_introuvable`)");

function queryParameters(s: z.ZodObject): Json[] {
  return Object.entries(s.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    schema: schema(field as z.ZodType, 'input'),
  }));
}

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'identifiant de la candidature : `passpro:<campagne>:<INE>:<domaine>` (encodé dans l\'URL)',
  schema: { type: 'string', maxLength: 200 },
};

const roles = (liste: readonly string[]) => `Rôles : ${liste.map((r) => `\`${r}\``).join(', ')}.`;

export function construireOpenApi(): Json {
  const paths: Record<string, Json> = {
    '/health': {
      get: {
        summary: 'État du service (Temporal, base, worker)',
        security: [],
        responses: {
          200: { description: 'tout répond', ...json(ref('Sante')) },
          503: { description: 'une partie ne répond pas', ...json(ref('Sante')) },
        },
      },
    },
    '/candidatures': {
      get: {
        summary: 'Lister les candidatures (depuis la base), filtrées et paginées',
        description:
          "Limitées à l'établissement de l'appelant : un collège voit ses élèves, un lycée les candidatures qu'il reçoit, le SAIO toutes. " +
          'Ordre stable (création, puis identifiant) ; `taille` ≤ 100.',
        parameters: queryParameters(listeQuery),
        responses: { 200: { description: 'une page', ...json(ref('ListeCandidatures')) }, 400: erreursCommunes[400], 401: erreursCommunes[401] },
      },
      post: {
        summary: "Inscrire un élève dans un domaine (ou le recenser : `recensementSeulement`)",
        description: `${roles(['origine_personnel', 'origine_chef'])} L'élève doit être de l'établissement de l'appelant (\`eleve.uaiOrigine\`).`,
        requestBody: { required: true, ...json(ref('Inscription')) },
        responses: {
          201: { description: 'candidature créée, ou complétée (même élève, même domaine)', ...json(ref('Candidature')) },
          ...erreursCommunes,
          409: erreur('inscriptions closes, ou action refusée par la candidature'),
          422: erreur('élève non éligible (`eleve_non_eligible`)'),
        },
      },
    },
    '/candidatures/{id}': {
      get: {
        summary: "L'état en direct d'une candidature (le workflow) : étape, vœux et avis, entretien, échéances, retards, historique",
        parameters: [idParameter],
        responses: { 200: { description: "l'état", ...json(ref('Candidature')) }, 400: erreursCommunes[400], 401: erreursCommunes[401], 404: introuvable },
      },
    },
    '/statistiques': {
      get: {
        summary: 'Comptes par étape, par lycée, par collège, et les candidatures en retard (où et depuis quand)',
        description: roles(['saio']),
        parameters: queryParameters(statistiquesQuery),
        responses: {
          200: { description: 'les comptes', ...json(ref('Statistiques')) },
          400: erreursCommunes[400],
          401: erreursCommunes[401],
          403: erreursCommunes[403],
        },
      },
    },
    '/openapi.json': { get: { summary: 'Ce document', security: [], responses: { 200: { description: 'OpenAPI 3.1' } } } },
    '/docs': { get: { summary: 'Swagger UI de ce document', security: [], responses: { 200: { description: 'page HTML' } } } },
  };
  const schemas: Record<string, Json> = {
    Erreur: schema(erreurSchema, 'output'),
    Sante: schema(santeReponseSchema, 'output'),
    Inscription: schema(inscriptionSchema, 'input'),
    Candidature: schema(candidatureEtatSchema, 'output'),
    ListeCandidatures: schema(listeReponseSchema, 'output'),
    Statistiques: schema(statistiquesReponseSchema, 'output'),
  };
  for (const a of actions) {
    const nom = `Action_${a.path.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())}`;
    schemas[nom] = schema(a.schema, 'input');
    paths[`/candidatures/{id}/${a.path}`] = {
      post: {
        summary: a.resume,
        description: `${roles(a.roles)} L'auteur de l'action est celui du jeton.`,
        parameters: [idParameter],
        requestBody: { required: a.path !== 'confirmation-famille', ...json(ref(nom)) },
        responses: {
          200: { description: "action faite : le nouvel état", ...json(ref('Candidature')) },
          ...erreursCommunes,
          404: introuvable,
          409: erreur("action refusée par la candidature (`action_refusee`, avec sa raison) ou candidature terminée (`candidature_terminee`)"),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Passpro — API des personnels',
      version: '0.1.0',
      description:
        "Chaque candidature (élève × domaine × campagne) est un workflow Temporal. Authentification : jeton JWT (HS256) en " +
        '`Authorization: Bearer <jeton>` (`npm run token`). Erreurs : `{ "erreur": { "code", "message", "champ" } }`.',
    },
    components: {
      securitySchemes: { jeton: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas,
    },
    security: [{ jeton: [] }],
    paths,
  };
}
