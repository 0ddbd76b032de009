// The staff API: builds the Express app (tests import it; runtime/main.ts listens).
import { Client, WithStartWorkflowOperation, type WorkflowHandle, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import express, { type Request, type Response } from 'express';
import { checkEligibilite } from '../domain/eligibility';
import { campagnes } from '../domain/campaigns';
import {
  candidatureWorkflowId,
  confirmerFamilleUpdate,
  constaterEntretienUpdate,
  desisterUpdate,
  etatQuery,
  inscrireUpdate,
  planifierEntretienUpdate,
  saisirAffelnetUpdate,
  saisirAvisOrigineUpdate,
  saisirCompteRenduUpdate,
  type CandidatureInput,
  type CandidatureState,
} from '../workflows/definitions';
import type { candidatureWorkflow } from '../workflows';
import { ApiError, errorHandler, notFound } from './errors';
import { body, parse } from './validation';
import {
  acteurSeulSchema,
  avisOrigineSchema,
  candidatureIdParam,
  compteRenduSchema,
  constatEntretienSchema,
  desistementSchema,
  inscriptionSchema,
  planificationSchema,
  saisieAffelnetSchema,
  voeuxSchema as inscriptionVoeuxSchema,
} from './schemas';
import type { z } from 'zod';
import type { UpdateDefinition } from '@temporalio/common';

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
      const { campagneId, recensementSeulement, ...inscription } = req.body as z.infer<typeof inscriptionSchema>;
      const eligibilite = checkEligibilite(inscription.eleve.niveau);
      if (!eligibilite.eligible) throw new ApiError(422, 'eleve_non_eligible', eligibilite.raison, 'body.eleve.niveau');
      const campagne = campagnes[campagneId];
      const workflowId = candidatureWorkflowId(campagneId, inscription.eleve.ine, inscription.domaine.code);
      const options = {
        workflowId,
        taskQueue: deps.taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING' as const,
        args: [{ ...inscription, campagne, recensementSeulement }] as [CandidatureInput],
      };
      let state: CandidatureState;
      if (recensementSeulement) {
        const handle = await deps.client.workflow.start<typeof candidatureWorkflow>('candidatureWorkflow', options);
        state = await handle.query(etatQuery).catch(temporalError);
      } else {
        state = await deps.client.workflow
          .executeUpdateWithStart(inscrireUpdate, {
            args: [{ voeux: inscription.voeux, acteur: inscription.acteur }],
            startWorkflowOperation: new WithStartWorkflowOperation<typeof candidatureWorkflow>('candidatureWorkflow', options),
          })
          .catch(temporalError);
      }
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

  /** A staff action: its path, its body schema, and the workflow update it becomes. */
  function action<A>(path: string, schema: z.ZodType<A>, update: UpdateDefinition<CandidatureState, [A]>): void {
    app.post(
      `/candidatures/:id/${path}`,
      body(schema),
      handle(async (req, res) => {
        const id = parse(candidatureIdParam, req.params.id, 'params.id');
        const state = await updateCandidature(deps.client, id, (h) => h.executeUpdate(update, { args: [req.body as A] }));
        res.json(state);
      }),
    );
  }
  action('inscription', inscriptionVoeuxSchema, inscrireUpdate);
  action('avis-origine', avisOrigineSchema, saisirAvisOrigineUpdate);
  action('entretien', planificationSchema, planifierEntretienUpdate);
  action('constat-entretien', constatEntretienSchema, constaterEntretienUpdate);
  action('compte-rendu', compteRenduSchema, saisirCompteRenduUpdate);
  action('confirmation-famille', acteurSeulSchema, confirmerFamilleUpdate);
  action('saisie-affelnet', saisieAffelnetSchema, saisirAffelnetUpdate);
  action('desistement', desistementSchema, desisterUpdate);

  app.use(notFound);
  app.use(errorHandler(deps.logError));
  return app;
}
