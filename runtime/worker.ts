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
 * The cache: every module the workflow bundle reaches is evaluated again for each cached workflow, so a
 * cached candidature cost 1.2 MB of RSS while zod was in the bundle, 0.3 MB without it. 2,000 cached
 * candidatures are then about 600 MB; a candidature evicted from the cache is replayed from its history when
 * it wakes (at a deadline, most of an académie's are).
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
