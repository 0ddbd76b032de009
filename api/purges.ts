// The SAIO's early purge of one campaign (RGPD): its dry run (what would go, from the database), then, once
// confirmed, the purge workflow (workflows/purge.ts) started on the worker. Refused while a candidature of the
// campaign is open. One function each, for the JSON routes and the SAIO's pages alike.
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import { z } from 'zod';
import { bilanPurge } from '../activities/purge';
import type { BilanPurge } from '../domain/purge';
import type { Database } from '../platform/database';
import type { purgeCampagneWorkflow } from '../workflows';
import { purgeCampagneWorkflowId } from '../workflows/purge';
import { exigerRoles, type Appelant } from './auth';
import { ApiError } from './errors';
import { campagneId } from './schemas';
import { body } from './validation';

export interface PurgesDeps {
  client: Client;
  db: Database;
  taskQueue: string;
}

export const purgeCorps = z.strictObject({ campagne: campagneId });

const reserveeAuSaio = (qui: Appelant) => {
  if (qui.role !== 'saio') throw new ApiError(403, 'acces_refuse', 'action réservée à : saio');
};

export const purgeRefusee = (bilan: BilanPurge) =>
  new ApiError(
    409,
    'purge_refusee',
    `${bilan.ouvertes} candidature(s) de cette campagne ne sont pas terminées : seules les candidatures clôturées ou désistées peuvent être purgées, rien n'a été supprimé`,
    'body.campagne',
  );

export function createPurges(deps: PurgesDeps) {
  /** What the purge would delete now: nothing changes. */
  async function simuler(qui: Appelant, campagne: string): Promise<BilanPurge> {
    reserveeAuSaio(qui);
    return bilanPurge(deps.db.prisma, campagne);
  }

  /** The purge started (or the one already running for the campaign joined); its record follows when it ends. */
  async function lancer(qui: Appelant, campagne: string): Promise<{ workflowId: string; bilan: BilanPurge }> {
    const bilan = await simuler(qui, campagne);
    if (bilan.ouvertes > 0) throw purgeRefusee(bilan);
    const workflowId = purgeCampagneWorkflowId(campagne);
    await deps.client.workflow.start<typeof purgeCampagneWorkflow>('purgeCampagneWorkflow', {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [{ campagne, declencheur: `saio : ${qui.nom}` }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return { workflowId, bilan };
  }

  /** The purges' records, the latest first. */
  async function lister() {
    const lignes = await deps.db.prisma.purge.findMany({ orderBy: { id: 'desc' }, take: 200 });
    return lignes.map((p) => ({ campagne: p.campagneId, declencheur: p.declencheur, debut: p.debut.toISOString(), fin: p.fin.toISOString(), comptes: p.comptes as Record<string, number> }));
  }

  return { simuler, lancer, lister };
}

export type Purges = ReturnType<typeof createPurges>;

/** `POST /purges/simulation`, `POST /purges` (202: started), `GET /purges`: the SAIO's only. */
export function routesPurges(app: Express, purges: Purges): void {
  const saio = exigerRoles(['saio']);
  app.get('/purges', saio, async (_req, res) => {
    res.json({ purges: await purges.lister() });
  });
  app.post('/purges/simulation', saio, body(purgeCorps), async (req, res) => {
    res.json(await purges.simuler(req.appelant!, (req.body as z.infer<typeof purgeCorps>).campagne));
  });
  app.post('/purges', saio, body(purgeCorps), async (req, res) => {
    res.status(202).json(await purges.lancer(req.appelant!, (req.body as z.infer<typeof purgeCorps>).campagne));
  });
}
