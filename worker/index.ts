// The Temporal worker: runs the candidature workflows and their activities on one task queue.
import { format } from 'node:util';
import { ApplicationFailure, type DataConverter } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Worker, type ActivityInboundCallsInterceptor, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { descriptionErreur, erreurDeBase, masquerDonnees } from '../platform/masquage';

export const workflowsPath = require.resolve('../workflows');

/**
 * The workflow bundle's options, for the worker and for the tests' bundles alike. The domain's modules are pure
 * functions and tables: evaluated once in the reused V8 context and shared (frozen) by every workflow, instead of
 * once per cached workflow (`npm run bench:cache` measures what a cached candidature costs with and without).
 */
export const optionsBundle = {
  preloadModules: ['autorisations', 'avis', 'calendar', 'campaign-rules', 'candidature', 'creneaux', 'deadlines', 'procedure', 'purge'].map((module) =>
    require.resolve(`../domain/${module}`),
  ),
};

export interface WorkerSettings {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** The payload codec's (platform/codec.ts): what the worker sends to Temporal is encrypted. */
  dataConverter: DataConverter;
  /** A prebuilt bundle (tests build it once per file); otherwise workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The cache's size (WORKER_CACHE); `reglagesWorker`'s otherwise. */
  maxCachedWorkflows?: number;
}

/**
 * Tuning of the worker, measured by `npm run bench` (the lifecycle benchmark gives its baseline worker the same).
 * The cache: every module the workflow bundle reaches, but those preloaded (`optionsBundle`), is evaluated
 * again for each cached workflow: a cached candidature holds about 100 KiB of live heap (`npm run bench:cache`),
 * and the process's RSS grows by about 350 KB for each, garbage included. A candidature evicted from the cache is
 * replayed from its history when it wakes; a cache of 5,000 instead of 1,000 took a quarter of the worker's CPU
 * off a deadline of 3,000 candidatures, for 700 MB more at its peak: the default keeps the worker and the
 * Temporal server under 2 GiB, and WORKER_CACHE gives a host with memory to spare the larger cache.
 * Two workflow threads (the SDK runs one when V8 contexts are reused): at a deadline the single thread was the
 * bottleneck with part of a core idle; with two, the académie's deadline took 12–14 % less time on two cores,
 * for up to 70 MB more (bench:academie at 3,000 and 30,000 candidatures, each with one and with two threads).
 */
export const reglagesWorker: Partial<WorkerOptions> = { maxCachedWorkflows: 1000, workflowThreadPoolSize: 2 };

/**
 * Node's flags for the worker process (docker-compose's command, the académie benchmark): the V8 heap capped,
 * for every isolate of the process, so that garbage is collected before the memory of a small host is gone.
 */
export const argumentsNodeWorker = ['--max-old-space-size=1024'];

/**
 * An activity's failure is logged by the worker and kept in the workflow's history: a database error leaves as
 * its code and constraint alone (its message carries the row's values, names included), any other with its
 * INEs and e-mail addresses masked. Retries are as before: only the text changes.
 */
export const activiteSansDonnees: ActivityInboundCallsInterceptor = {
  async execute(input, next) {
    try {
      return await next(input);
    } catch (error) {
      const base = erreurDeBase(error);
      if (base) throw ApplicationFailure.create({ type: (error as Error).name, message: base, nonRetryable: false });
      if (error instanceof Error) {
        error.message = masquerDonnees(error.message);
        if (error.stack) error.stack = masquerDonnees(error.stack);
      }
      throw error;
    }
  },
};

/**
 * The SDK's log, as its default one (standard error, one line per entry) but masked: its lines name the
 * workflow (an activity's or a workflow task's failure), whose id holds the INE, and carry the error, told as
 * a database error is (platform/masquage.ts). Installed with the runtime (runtime/process.ts).
 */
export const journalWorker = new DefaultLogger('INFO', ({ level, timestampNanos, message, meta }) => {
  const details = meta === undefined ? '' : ` ${format(Object.fromEntries(Object.entries(meta).map(([cle, valeur]) => [cle, valeur instanceof Error ? descriptionErreur(valeur) : valeur])))}`;
  process.stderr.write(`${new Date(Number(timestampNanos / 1_000_000n)).toISOString()} [${level}] ${masquerDonnees(`${message}${details}`)}\n`);
});

export async function createWorker(settings: WorkerSettings): Promise<Worker> {
  return Worker.create({
    connection: settings.connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    dataConverter: settings.dataConverter,
    ...reglagesWorker,
    ...(settings.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: settings.maxCachedWorkflows }),
    activities: createActivities(settings.deps),
    interceptors: { activity: [() => ({ inbound: activiteSansDonnees })] },
    ...(settings.workflowBundle ? { workflowBundle: settings.workflowBundle } : { workflowsPath, bundlerOptions: optionsBundle }),
  });
}
