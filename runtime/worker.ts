// The Temporal worker: runs the candidature workflows and their activities on one task queue.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export const workflowsPath = require.resolve('../workflows');

export interface WorkerSettings {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A prebuilt bundle (tests build it once per file); otherwise workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/**
 * Tuning of the worker, measured by `npm run bench` (the lifecycle benchmark gives its baseline worker the same).
 * The cache: a candidature cached in the worker costs about 1.4 MB of RSS, and the SDK sizes the cache from the
 * heap limit (~2,300 workflows on a 4 GB heap: a 4.4 GB peak at 3,000 candidatures in `bench:academie`). With
 * 500, the peak was 2.5 GB; an evicted candidature is replayed from its short history when it wakes, which made
 * the deadline's consequences slower on that run (279 s instead of 186 s on a shared 2-core machine).
 */
export const reglagesWorker: Partial<WorkerOptions> = { maxCachedWorkflows: 2000 };

export async function createWorker(settings: WorkerSettings): Promise<Worker> {
  return Worker.create({
    connection: settings.connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    ...reglagesWorker,
    activities: createActivities(settings.deps),
    ...(settings.workflowBundle ? { workflowBundle: settings.workflowBundle } : { workflowsPath }),
  });
}
