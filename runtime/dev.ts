// `npm start`: the whole system on embedded defaults, in the foreground. Temporal dev server (Web UI,
// SQLite file under data/), MailDev (web + SMTP), then worker and API in this process on PGlite.
// Ctrl-C stops everything, children included. The demo (scripts/demo) starts the same stack.
import { configOrExit, onShutdownSignal } from './process';
import { demarrerPile, ouSontLesParties, shutdown } from './stack';

async function main(): Promise<void> {
  const config = configOrExit();
  onShutdownSignal(() => shutdown(0));
  const pile = await demarrerPile(config);
  console.log(['', 'Passpro tourne sur les réglages embarqués :', ...ouSontLesParties(config, pile), 'Ctrl-C pour tout arrêter.'].join('\n'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    void shutdown(1);
  });
}
