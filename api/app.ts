// The staff API: builds the Express app (tests import it; runtime/main.ts listens).
import { Client, WithStartWorkflowOperation, type WorkflowHandle, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import express, { type Request, type Response } from 'express';
import { checkEligibilite } from '../domain/eligibility';
import { campagnes } from '../domain/campaigns';
import { endOfParisDay } from '../domain/calendar';
import {
  ajouterVoeuxUpdate,
  candidatureWorkflowId,
  desisterUpdate,
  etatQuery,
  type CandidatureState,
} from '../workflows/definitions';
import type { candidatureWorkflow } from '../workflows';
import { ApiError, errorHandler, notFound } from './errors';
import { body, parse } from './validation';
import { candidatureIdParam, desistementSchema, inscriptionSchema } from './schemas';
import type { z } from 'zod';

export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export interface AppDeps {
  client: Client;
  taskQueue: string;
  health: HealthCheck[];
  logError: (error: unknown) => void;
}

/** A refused update (validator) or a missing workflow becomes a 4xx with the workflow's reason. */
function temporalError(error: unknown): never {
  if (error instanceof WorkflowNotFoundError) throw new ApiError(404, 'candidature_introuvable', 'candidature introuvable');
  if (error instanceof WorkflowUpdateFailedError) {
    throw new ApiError(409, 'action_refusee', error.cause?.message ?? error.message);
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
    throw new ApiError(409, 'candidature_terminee', `la candidature est terminée (${etape}) : aucune action n'est plus possible`);
  }
}

export function buildApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '100kb' }));

  const handle = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: (e?: unknown) => void) => {
    fn(req, res).catch(next);
  };

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

  app.post(
    '/candidatures',
    body(inscriptionSchema),
    handle(async (req, res) => {
      const inscription = req.body as z.infer<typeof inscriptionSchema>;
      const eligibilite = checkEligibilite(inscription.eleve.niveau);
      if (!eligibilite.eligible) throw new ApiError(422, 'eleve_non_eligible', eligibilite.raison, 'body.eleve.niveau');
      const campagne = campagnes[inscription.campagneId];
      const workflowId = candidatureWorkflowId(inscription.campagneId, inscription.eleve.ine, inscription.domaine.code);
      const startWorkflowOperation = new WithStartWorkflowOperation<typeof candidatureWorkflow>('candidatureWorkflow', {
        workflowId,
        taskQueue: deps.taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [{ ...inscription, clotureLe: endOfParisDay(campagne.calendrier.cloture).toISOString() }],
      });
      const state = await deps.client.workflow
        .executeUpdateWithStart(ajouterVoeuxUpdate, {
          args: [{ voeux: inscription.voeux, acteur: inscription.acteur }],
          startWorkflowOperation,
        })
        .catch(temporalError);
      res.status(201).location(`/candidatures/${encodeURIComponent(workflowId)}`).json(state);
    }),
  );

  app.get(
    '/candidatures/:id',
    handle(async (req, res) => {
      const id = parse(candidatureIdParam, req.params.id, 'params.id');
      const state: CandidatureState = await deps.client.workflow.getHandle(id).query(etatQuery).catch(temporalError);
      res.json(state);
    }),
  );

  app.post(
    '/candidatures/:id/desistement',
    body(desistementSchema),
    handle(async (req, res) => {
      const id = parse(candidatureIdParam, req.params.id, 'params.id');
      const state = await updateCandidature(deps.client, id, (handle) =>
        handle.executeUpdate(desisterUpdate, { args: [req.body as z.infer<typeof desistementSchema>] }),
      );
      res.json(state);
    }),
  );

  app.use(notFound);
  app.use(errorHandler(deps.logError));
  return app;
}
