// The API built on a database alone, for what answers before Temporal is asked (authentication, limits,
// /health, revocations): no dev server to start. A route that would reach Temporal fails loudly.
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import { buildApp, type HealthCheck } from '../../api/app';
import type { Limites } from '../../api/limites';
import { createLogger, type Logger } from '../../api/logging';
import { DEV_ID_KEY, DEV_JWT_SECRET } from '../../platform/config';
import type { Database } from '../../platform/database';

const sansTemporal = new Proxy({}, { get: () => { throw new Error('Temporal ne doit pas être appelé ici'); } }) as Client;

export function appSansTemporal(
  db: Database,
  { limites, health = [], logger = createLogger('silent'), erreurs = [] }: { limites?: Limites; health?: HealthCheck[]; logger?: Logger; erreurs?: unknown[] } = {},
): Express {
  return buildApp({ client: sansTemporal, db, taskQueue: 'sans-temporal', jwtSecret: DEV_JWT_SECRET, cleIdentifiants: DEV_ID_KEY, health, logError: (e) => erreurs.push(e), logger, limites });
}
