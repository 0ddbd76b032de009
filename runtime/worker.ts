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
 * The cache: a candidature cached in the worker costs about 1.4 MB of RSS (the SDK's default sizes the cache
 * from the heap limit, ~2,300 workflows on a 4 GB heap: 4.4 GB of RSS at 3,000 candidatures), while one
 * evicted is replayed from its short history when it wakes, which costs far less than its place in memory.
 */
export const reglagesWorker: Partial<WorkerOptions> = { maxCachedWorkflows: 500 };

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
