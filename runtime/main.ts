// Entry point of the worker and the API (PASSPRO_ROLE=all|worker|api), as docker-compose runs them.
// SIGINT/SIGTERM: the API stops accepting, in-flight requests and activities finish, then the process exits.
import { startPasspro, type Running } from './app';
import { configOrExit, onShutdownSignal } from './process';

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
