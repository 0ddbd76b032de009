// The staff API: builds the Express app (tests import it; runtime/main.ts listens). Every call but /health,
// /openapi.json and /docs is authenticated (api/auth.ts) and scoped to the caller's school.
import {
  ApplicationFailure,
  Client,
  QueryNotRegisteredError,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import express, { type Request, type Response } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { campagnes } from '../domain/campaigns';
import type { Database } from '../platform/database';
import {
  candidatureStartPolicy,
  candidatureWorkflowId,
  etatQuery,
  inscrireUpdate,
  messageCandidatureTerminee,
  parseCandidatureWorkflowId,
  refus,
  type CandidatureInput,
  type CandidatureState,
} from '../workflows/definitions';
import type { candidatureWorkflow } from '../workflows';
import { actions } from './actions';
import { appelant, authentifier, exigerRoles, peutVoir, rolesParAction, type Appelant } from './auth';
import { ApiError, errorHandler, notFound } from './errors';
import { routesCatalogue, verifierInscriptionAuCatalogue, verifierVoeuxAjoutes } from './catalogue';
import { routesExports } from './exports';
import { routesFiches } from './fiches';
import { routesImport } from './import';
import { candidatureExistante, verifierInscription, type Inscription } from './inscription';
import { createLogger, httpLogger, type Logger } from './logging';
import { construireOpenApi } from './openapi';
import { listerCandidatures, statistiques } from './reads';
import { candidatureIdParam, inscriptionSchema, listeQuery, statistiquesQuery } from './schemas';
import { body, parse } from './validation';

export { createLogger };

export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export interface AppDeps {
  client: Client;
  /** The query side: lists and counts. */
  db: Database;
  taskQueue: string;
  /** HS256 key of the callers' tokens (config JWT_SECRET). */
  jwtSecret: string;
  health: HealthCheck[];
  logError: (error: unknown) => void;
  /** Request logs (pino); none when absent. */
  logger?: Logger;
}

const introuvable = () => new ApiError(404, 'candidature_introuvable', 'candidature introuvable');

const candidatureClose = () =>
  new ApiError(409, 'candidature_terminee', "la candidature de cet élève dans ce domaine est terminée : aucune action n'est plus possible");

/** How each kind of validator refusal (workflows/definitions.ts `refus`) is answered. */
const reponsesRefus: Record<string, { status: number; code: string }> = {
  [refus.terminee]: { status: 409, code: 'candidature_terminee' },
  [refus.etape]: { status: 409, code: 'action_refusee' },
  [refus.saisie]: { status: 422, code: 'saisie_refusee' },
  [refus.acteur]: { status: 403, code: 'acces_refuse' },
};

/** A refused update (validator) or a missing workflow becomes a 4xx with the workflow's reason. */
function temporalError(error: unknown): never {
  if (error instanceof WorkflowNotFoundError || error instanceof QueryNotRegisteredError) throw introuvable();
  if (error instanceof WorkflowExecutionAlreadyStartedError) throw candidatureClose();
  if (error instanceof WorkflowUpdateFailedError) {
    const { cause } = error;
    const reponse = (cause instanceof ApplicationFailure && cause.type && reponsesRefus[cause.type]) || reponsesRefus[refus.etape];
    throw new ApiError(reponse.status, reponse.code, cause?.message ?? error.message);
  }
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
    const { etape } = await handle.query(etatQuery).catch(temporalError);
    throw new ApiError(409, 'candidature_terminee', messageCandidatureTerminee(etape));
  }
}

export function buildApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // States change with every action and are read once: no ETag (a hash of every answer) to revalidate them.
  app.set('etag', false);
  app.use(httpLogger(deps.logger ?? createLogger('silent')));
  // The API is served over plain HTTP behind the deployment's proxy or on loopback: no forced upgrade of /docs' assets.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  // Who calls is known before any body is read: an anonymous caller gets 401, whatever it sends.
  app.use(['/candidatures', '/statistiques', '/eleves', '/catalogue'], authentifier(deps.jwtSecret));
  app.use(express.json({ limit: '100kb' }));

  const handle = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: (e?: unknown) => void) => {
    fn(req, res).catch(next);
  };

  /**
   * The state as JSON text, if the caller may see it; someone else's candidature is as unknown as a missing
   * one. Read from the query side, where the workflow writes it before answering any action (one indexed row
   * instead of a round trip through Temporal to the worker), and passed on as PostgreSQL gives it: the hottest
   * read of the API neither parses nor serialises it. From the workflow itself until its first write.
   */
  async function etatVisibleJson(id: string, qui: Appelant): Promise<string> {
    if (!parseCandidatureWorkflowId(id)) throw introuvable();
    const [ligne] = await deps.db.preparee<{ etat: string | null; uaiOrigine: string; uaiAccueil: string }>(
      'etat_candidature',
      'SELECT etat::text AS etat, "uaiOrigine", "uaiAccueil" FROM "Candidature" WHERE id = $1',
      [id],
    );
    if (ligne?.etat) {
      if (!peutVoir(qui, ligne)) throw introuvable();
      return ligne.etat;
    }
    const state = await deps.client.workflow.getHandle(id).query(etatQuery).catch(temporalError);
    if (!peutVoir(qui, { uaiOrigine: state.eleve.uaiOrigine, uaiAccueil: state.uaiAccueil })) throw introuvable();
    return JSON.stringify(state);
  }

  const etatVisible = async (id: string, qui: Appelant) => JSON.parse(await etatVisibleJson(id, qui)) as CandidatureState;

  app.get(
    '/health',
    handle(async (_req, res) => {
      const results = await Promise.all(
        deps.health.map(async ({ name, check }) => {
          try {
            await check();
            return [name, 'ok'] as const;
          } catch (error) {
            return [name, (error as Error).message] as const;
          }
        }),
      );
      const ok = results.every(([, status]) => status === 'ok');
      res.status(ok ? 200 : 503).json({ statut: ok ? 'ok' : 'indisponible', composants: Object.fromEntries(results) });
    }),
  );

  const openapi = construireOpenApi();
  app.get('/openapi.json', (_req, res) => void res.json(openapi));
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openapi, { customSiteTitle: 'Passpro — API' }));

  app.get(
    '/candidatures',
    handle(async (req, res) => {
      const q = parse(listeQuery, req.query, 'query');
      res.json(await listerCandidatures(deps.db.prisma, appelant(req), q));
    }),
  );

  /**
   * One inscription (or recensement): the checks, then the workflow started or joined. For `POST /candidatures`
   * and for each pupil × domaine of a CSV import (api/import.ts).
   */
  async function inscrire(acteur: Appelant, corps: Inscription): Promise<CandidatureState> {
    verifierInscription(acteur, corps);
    await verifierInscriptionAuCatalogue(deps.db.prisma, corps);
    const { campagneId, recensementSeulement, ...inscription } = corps;
    const campagne = campagnes[campagneId];
    const workflowId = candidatureWorkflowId(campagneId, inscription.eleve.ine, inscription.domaine.code);
    const options = {
      workflowId,
      taskQueue: deps.taskQueue,
      ...candidatureStartPolicy,
      args: [{ ...inscription, campagne, recensementSeulement, acteur }] as [CandidatureInput],
    };
    // USE_EXISTING may find another school's candidature for this pupil and domaine: say so, show nothing of it.
    const dAutrui = async () => {
      const existant = await deps.client.workflow.getHandle(workflowId).query(etatQuery).catch(temporalError);
      return !peutVoir(acteur, { uaiOrigine: existant.eleve.uaiOrigine, uaiAccueil: existant.uaiAccueil });
    };
    const existante = () => new ApiError(409, candidatureExistante.code, candidatureExistante.message);
    let state: CandidatureState;
    if (recensementSeulement) {
      await deps.client.workflow.start<typeof candidatureWorkflow>('candidatureWorkflow', options).catch(temporalError);
      if (await dAutrui()) throw existante();
      state = await deps.client.workflow.getHandle(workflowId).query(etatQuery).catch(temporalError);
    } else {
      try {
        state = await deps.client.workflow.executeUpdateWithStart(inscrireUpdate, {
          args: [{ voeux: inscription.voeux, acteur }],
          startWorkflowOperation: new WithStartWorkflowOperation<typeof candidatureWorkflow>('candidatureWorkflow', options),
        });
      } catch (error) {
        if (error instanceof WorkflowUpdateFailedError && (await dAutrui())) throw existante();
        temporalError(error);
      }
    }
    return state;
  }

  app.post(
    '/candidatures',
    exigerRoles(rolesParAction.inscription),
    body(inscriptionSchema),
    handle(async (req, res) => {
      const state = await inscrire(appelant(req), req.body as Inscription);
      res.status(201).location(`/candidatures/${encodeURIComponent(state.id)}`).json(state);
    }),
  );

  app.get(
    '/candidatures/:id',
    handle(async (req, res) => {
      const id = parse(candidatureIdParam, req.params.id, 'params.id');
      res.type('json').send(await etatVisibleJson(id, appelant(req)));
    }),
  );

  // Each staff action: the role is checked first (403, nothing looked up), then the body (400), then the
  // candidature must be one the caller sees (404), the vœux it adds must be in the catalogue (422), and only
  // then is the workflow asked (its validators check role, school, step and dates again: a refusal is a 409
  // with its reason).
  for (const a of actions) {
    app.post(
      `/candidatures/:id/${a.path}`,
      exigerRoles(a.roles),
      body(a.schema),
      handle(async (req, res) => {
        const acteur = appelant(req);
        const id = parse(candidatureIdParam, req.params.id, 'params.id');
        const etat = await etatVisibleJson(id, acteur);
        if (a.voeuxAjoutes) await verifierVoeuxAjoutes(deps.db.prisma, JSON.parse(etat) as CandidatureState, a.voeuxAjoutes(req.body as object));
        const args = { ...(req.body as object), acteur };
        const state = await updateCandidature(deps.client, id, (h) => h.executeUpdate(a.update, { args: [args as never] }));
        res.json(state);
      }),
    );
  }

  routesImport(app, { client: deps.client, prisma: deps.db.prisma, inscrire, logError: deps.logError });
  routesCatalogue(app, { prisma: deps.db.prisma });
  routesFiches(app, { prisma: deps.db.prisma, etatVisible });

  app.get(
    '/statistiques',
    exigerRoles(['saio']),
    handle(async (req, res) => {
      const { campagne } = parse(statistiquesQuery, req.query, 'query');
      res.json(await statistiques(deps.db.prisma, campagne));
    }),
  );

  routesExports(app, { prisma: deps.db.prisma, jwtSecret: deps.jwtSecret });
  app.use(notFound);
  app.use(errorHandler(deps.logError));
  return app;
}
