// Entry point of the worker and the API (PASSPRO_ROLE=all|worker|api), as docker-compose runs them.
// SIGINT/SIGTERM: the API stops accepting, in-flight requests and activities finish, then the process exits.
import { Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig, type Config } from './config';
import { startPasspro, type Running } from './app';

/** Call first: the worker would otherwise stop itself on these signals, racing the orderly shutdown. */
export function onShutdownSignal(stop: () => Promise<void>): void {
  Runtime.install({ shutdownSignals: [] });
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

async function main(): Promise<void> {
  const config = configOrExit();
  const started: { running?: Running } = {};
  onShutdownSignal(async () => started.running?.stop());
  started.running = await startPasspro(config, (message) => console.log(message));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
