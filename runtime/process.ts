// What every entry point does first: read the configuration (a wrong value stops with its name), and take
// SIGINT/SIGTERM for an orderly stop.
import { Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig, type Config } from '../platform/config';
import { journalWorker } from '../worker';

/**
 * Call first: the worker would otherwise stop itself on these signals, racing the orderly shutdown; and its
 * log would be the SDK's own, unmasked.
 */
export function onShutdownSignal(stop: () => Promise<void>): void {
  Runtime.install({ shutdownSignals: [], logger: journalWorker });
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} reçu : arrêt en cours…`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
