// The API suites' stack: one Temporal dev server, database, SMTP receiver and worker per test file (the dev
// server costs seconds to start), the app built as runtime/app.ts builds it, and tokens for every role.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Express } from 'express';
import request from 'supertest';
import { parisDateOf, parisTimeOf } from '../../domain/calendar';
import { createWorker } from '../../worker';
import { createSmtpMailer, type Mailer } from '../../platform/smtp';
import { buildApp } from '../../api/app';
import type { Logger } from '../../api/logging';
import { emettreJeton, type RolePersonne } from '../../api/auth';
import { healthChecks } from '../../runtime/app';
import { DEV_ID_KEY, DEV_JWT_SECRET, loadConfig } from '../../platform/config';
import { AUTRE_LYCEE, catalogueDeTest } from '../support/catalogue';
import { testDatabase, type TestDatabase } from '../support/db';
import { COLLEGE, inscription, LYCEE } from '../support/fixtures';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp';
import { bundleWorkflows, convertisseurDeTest, devServerEnv, uniqueTaskQueue } from '../support/temporal';

/** Schools with real check letters, other than the fixtures' collège and lycée. */
export const AUTRE_COLLEGE = '0931999T';
export { AUTRE_LYCEE, COLLEGE, LYCEE };

export const SECRET = DEV_JWT_SECRET;

export const uaiDuRole = (role: RolePersonne, autre = false): string | null =>
  role === 'saio' ? null : role.startsWith('origine') ? (autre ? AUTRE_COLLEGE : COLLEGE) : autre ? AUTRE_LYCEE : LYCEE;

/** `Authorization` header value for a role, at the fixtures' schools (or at another school of the same kind). */
export async function bearer(role: RolePersonne, { autre = false, nom = `Test ${role}`, duree = '1h' as string | number } = {}): Promise<string> {
  return `Bearer ${await emettreJeton(SECRET, { role, uai: uaiDuRole(role, autre), nom }, duree)}`;
}

/** The body of `POST /candidatures`: the fixture without its `acteur` (the token says who acts). */
export function corpsInscription(overrides: Record<string, unknown> = {}) {
  const { acteur: _acteur, ...corps } = inscription(overrides);
  return corps;
}

export interface Stack {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  smtp: SmtpReceiver;
  app: Express;
  taskQueue: string;
  stop(): Promise<void>;
}

/** `logger`: the request logs (none by default); `logError`: the 500s' errors (console.error by default). */
export async function startStack(prefix: string, { logger, logError = console.error }: { logger?: Logger; logError?: (error: unknown) => void } = {}): Promise<Stack> {
  const taskQueue = uniqueTaskQueue(prefix);
  const [env, db, smtp, bundle] = await Promise.all([devServerEnv(), testDatabase(), startSmtpReceiver(), bundleWorkflows()]);
  const mailer: Mailer = createSmtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'passpro@ac-creteil.fr' });
  // The product's worker (its options included), on the bundle built once for the file.
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: bundle,
    dataConverter: convertisseurDeTest,
    deps: { db, mailer, publicUrl: 'http://passpro.test', saioEmail: 'saio@ac-creteil.fr' },
  });
  const running = worker.run();
  await catalogueDeTest(db.prisma);
  const config = loadConfig({ TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url });
  const app = buildApp({
    client: env.client,
    db,
    taskQueue,
    jwtSecret: SECRET, cleIdentifiants: DEV_ID_KEY,
    health: healthChecks(env.client, db, config),
    logError,
    logger,
  });
  return {
    env,
    db,
    smtp,
    app,
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      mailer.close();
      await smtp.stop();
      await db.close();
      await env.teardown();
    },
  };
}

/** The query side follows the workflow within moments: wait until `ready` holds. */
export async function eventually<T>(read: () => Promise<T>, ready: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ready(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/** A staff action through the API, which must be taken (200). */
export async function agir(app: Express, id: string, nom: string, role: RolePersonne, corps: object): Promise<void> {
  const res = await request(app).post(`/candidatures/${encodeURIComponent(id)}/${nom}`).set('authorization', await bearer(role)).send(corps);
  expect([nom, res.status, res.body.erreur]).toEqual([nom, 200, undefined]);
}

/** Avis d'origine, an interview today, held, then the compte rendu: the fiche is ready (on the real clock). */
export async function rendreFichePrete(app: Express, id: string, compteRendu = 'Élève curieuse. Conseil : un mini-stage.'): Promise<void> {
  await agir(app, id, 'avis-origine', 'origine_chef', {
    avis: [
      { codeFormation: '24025401', avis: 'favorable', commentaire: 'Élève motivée, stage réussi.' },
      { codeFormation: '50025415', avis: 'assez_favorable', commentaire: 'Projet à préciser.' },
    ],
  });
  // At the next minute, any day of the week (dérogation): it may be recorded from its time on.
  const instant = new Date(Math.ceil((Date.now() + 2_000) / 60_000) * 60_000);
  const date = parisDateOf(instant);
  await agir(app, id, 'entretien', 'accueil_chef', { date, heure: parisTimeOf(instant), lieu: 'Atelier B12', mode: 'presentiel', derogation: true, motifDerogation: 'Entretien ce jour-là pour le test' });
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, instant.getTime() - Date.now())));
  await agir(app, id, 'constat-entretien', 'accueil_chef', { present: true });
  await agir(app, id, 'compte-rendu', 'accueil_chef', {
    texte: compteRendu,
    avis: [
      { codeFormation: '24025401', avis: 'favorable' },
      { codeFormation: '50025415', avis: 'reserve' },
    ],
  });
}
