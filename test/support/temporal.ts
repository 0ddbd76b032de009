// Temporal servers for tests, from the binaries installed by scripts/install-temporal.sh (the SDK's own
// download cannot reach its host here): the time-skipping test server for calendars, the dev server for
// end-to-end runs with the custom search attributes.
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { convertisseurDonnees } from '../../platform/codec';
import { loadConfig } from '../../platform/config';
import { etatProcessus, pids } from '../../platform/processus';
import { argumentsConfigurationDynamique } from '../../platform/serveur-temporal';
import { temporalCliPath, temporalTestServerPath } from '../../platform/temporal-binaries';
import { optionsBundle, workflowsPath } from '../../worker';
import { passproSearchAttributes } from '../../workflows/search-attributes';

const indexedValueTypes: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.TEXT]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * The servers the SDK starts are children of the test process, killed by their environment's teardown. A
 * process that dies first (an uncaught error ends a jest worker) would leave them running for good: its
 * exit kills the Temporal servers still among its children.
 */
process.once('exit', () => {
  for (const pid of pids()) {
    const etat = etatProcessus(pid);
    if (etat?.parent === process.pid && etat.nom.startsWith('temporal')) process.kill(pid, 'SIGKILL');
  }
});

/**
 * The SDK gives a server it starts five seconds to answer, a limit no option changes (sdk-core's ephemeral
 * server), and kills it when they are up. On a loaded two-core machine the dev server sometimes needs more
 * (seen when it started cold): the start is tried again, a test file is not failed for it.
 */
async function demarrerServeur(demarrer: () => Promise<TestWorkflowEnvironment>, essais = 3): Promise<TestWorkflowEnvironment> {
  for (let essai = 1; ; essai += 1) {
    try {
      return await demarrer();
    } catch (error) {
      if (essai === essais || !/did not start within/.test(String(error))) throw error;
    }
  }
}

/** The product's data converter with the embedded stack's key: what tests send to Temporal is encrypted. */
export const convertisseurDeTest = convertisseurDonnees(loadConfig({}).CODEC);

/** The test server accepts custom search attributes through the operator service, as a real cluster does. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await demarrerServeur(() =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
      client: { dataConverter: convertisseurDeTest },
    }),
  );
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(passproSearchAttributes.map((key) => [key.name, indexedValueTypes[key.type]])),
  });
  return env;
}

export function devServerEnv(): Promise<TestWorkflowEnvironment> {
  return demarrerServeur(() =>
    TestWorkflowEnvironment.createLocal({
      client: { dataConverter: convertisseurDeTest },
      server: {
        executable: { type: 'existing-path', path: temporalCliPath() },
        searchAttributes: [...passproSearchAttributes],
        extraArgs: ['--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF', ...argumentsConfigurationDynamique],
      },
    }),
  );
}

/** Bundling takes a second or two: once per test file. The worker's bundle options, its preloaded modules included. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, ...optionsBundle, logger: { ...console, trace: () => {}, debug: () => {}, info: () => {}, log: () => {} } as never });
}

let counter = 0;
/** A fresh task queue per test keeps workers of different tests apart. */
export function uniqueTaskQueue(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Date.now()}`;
}
