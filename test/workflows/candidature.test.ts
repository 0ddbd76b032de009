// The candidature workflow on the real time-skipping test server, with real activities (PGlite, SMTP).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WorkflowNotFoundError } from '@temporalio/client';
import { createActivities } from '../../activities';
import { createSmtpMailer, type Mailer } from '../../activities/mail';
import { candidatureWorkflowId, desisterUpdate, etatQuery } from '../../workflows/definitions';
import type { CandidatureWorkflowInput } from '../../workflows/candidature';
import { testDatabase, type TestDatabase } from '../support/db';
import { chefOrigine, inscription, LYCEE } from '../support/fixtures';
import { recipients, startSmtpReceiver, type SmtpReceiver } from '../support/smtp';
import { bundleWorkflows, timeSkippingEnv, uniqueTaskQueue } from '../support/temporal';

describe('candidature workflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let db: TestDatabase;
  let smtp: SmtpReceiver;
  let mailer: Mailer;

  beforeAll(async () => {
    [env, bundle, db, smtp] = await Promise.all([timeSkippingEnv(), bundleWorkflows(), testDatabase(), startSmtpReceiver()]);
    mailer = createSmtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'passpro@ac-creteil.fr' });
  }, 120_000);
  afterAll(async () => {
    mailer?.close();
    await smtp?.stop();
    await db?.close();
    await env?.teardown();
  });

  async function withWorker<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = uniqueTaskQueue('candidature');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: createActivities({ prisma: db.prisma, mailer, publicUrl: 'http://passpro.test', saioEmail: 'saio@ac-creteil.fr' }),
    });
    return worker.runUntil(fn(taskQueue));
  }

  function start(taskQueue: string, input: CandidatureWorkflowInput) {
    return env.client.workflow.start('candidatureWorkflow', {
      taskQueue,
      workflowId: candidatureWorkflowId(input.campagneId, input.eleve.ine, input.domaine.code),
      args: [input],
    });
  }

  it('registers the vœux, persists the candidature and closes at the end of the campaign', async () => {
    const input = { ...inscription(), clotureLe: new Date(Date.now() + 90 * 86_400_000).toISOString() };
    await withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, input);
      const state = await handle.query(etatQuery);
      expect(state.etape).toBe('a_planifier');
      expect(state.voeux.map((v) => [v.rang, v.codeFormation])).toEqual([[1, '24025401'], [2, '50025415']]);
      const final = await handle.result();
      expect(final.etape).toBe('cloturee');
    });
    const row = await db.prisma.candidature.findUniqueOrThrow({ where: { id: candidatureWorkflowId(input.campagneId, input.eleve.ine, 'metallerie') }, include: { voeux: true, evenements: true } });
    expect(row.etape).toBe('cloturee');
    expect(row.voeux).toHaveLength(2);
    expect(row.evenements.map((e) => e.type)).toEqual(['inscription', 'cloture']);
  });

  it('désistement ends the candidature, tells the lycée, and refuses a second one', async () => {
    const input = { ...inscription(), clotureLe: new Date(Date.now() + 90 * 86_400_000).toISOString() };
    await withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, input);
      const state = await handle.executeUpdate(desisterUpdate, { args: [{ motif: 'réorientation en 2nde GT', acteur: chefOrigine }] });
      expect(state.etape).toBe('desistee');
      // The candidature has ended: its workflow is closed and takes no more actions.
      expect((await handle.result()).etape).toBe('desistee');
      await expect(handle.executeUpdate(desisterUpdate, { args: [{ motif: 'encore', acteur: chefOrigine }] })).rejects.toThrow(
        WorkflowNotFoundError,
      );
    });
    const [mail] = await smtp.waitFor((m) => m.text?.includes('réorientation en 2nde GT') === true);
    expect(recipients(mail)).toEqual([`ce.${LYCEE.toLowerCase()}@ac-creteil.fr`]);
  });
});
