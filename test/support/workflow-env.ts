// Everything a workflow test needs, real: the time-skipping server, the workflow bundle (built once per
// file), a migrated database and an SMTP receiver; a worker per test on its own task queue.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createSmtpMailer, type Mailer } from '../../activities/mail';
import { candidatureWorkflowId, type CandidatureInput } from '../../workflows/definitions';
import { testDatabase, type TestDatabase } from './db';
import { startSmtpReceiver, type SmtpReceiver } from './smtp';
import { bundleWorkflows, timeSkippingEnv, uniqueTaskQueue } from './temporal';

export interface WorkflowTestContext {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundleWithSourceMap;
  db: TestDatabase;
  smtp: SmtpReceiver;
  mailer: Mailer;
}

export async function setUpWorkflowTests(): Promise<WorkflowTestContext> {
  const [env, bundle, db, smtp] = await Promise.all([timeSkippingEnv(), bundleWorkflows(), testDatabase(), startSmtpReceiver()]);
  const mailer = createSmtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'passpro@ac-creteil.fr' });
  return { env, bundle, db, smtp, mailer };
}

export async function tearDownWorkflowTests(ctx: WorkflowTestContext | undefined): Promise<void> {
  if (!ctx) return;
  ctx.mailer.close();
  await ctx.smtp.stop();
  await ctx.db.close();
  await ctx.env.teardown();
}

export async function withWorker<T>(ctx: WorkflowTestContext, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = uniqueTaskQueue('wf');
  const worker = await Worker.create({
    connection: ctx.env.nativeConnection,
    taskQueue,
    workflowBundle: ctx.bundle,
    activities: createActivities({ prisma: ctx.db.prisma, mailer: ctx.mailer, publicUrl: 'http://passpro.test', saioEmail: 'saio@ac-creteil.fr' }),
  });
  return worker.runUntil(fn(taskQueue));
}

export function startCandidature(ctx: WorkflowTestContext, taskQueue: string, input: CandidatureInput) {
  return ctx.env.client.workflow.start('candidatureWorkflow', {
    taskQueue,
    workflowId: candidatureWorkflowId(input.campagne.id, input.eleve.ine, input.domaine.code),
    args: [input],
  });
}

/** Moves the test server's clock to `instant` (the workflow's timers fire on the way). */
export async function avancerJusqua(ctx: WorkflowTestContext, instant: Date): Promise<void> {
  const now = await ctx.env.currentTimeMs();
  if (instant.getTime() > now) await ctx.env.sleep(instant.getTime() - now);
}
