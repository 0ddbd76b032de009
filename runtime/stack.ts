// The embedded stack of `npm start` and the demo: Temporal dev server (Web UI, SQLite file under data/), MailDev
// and the development identity provider as children, then worker and API in this process on PGlite. Stopping it
// stops the children too.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startPasspro, type Running } from './app';
import { devIssuer, type Config } from '../platform/config';
import { fluxMasque, masquerDonnees } from '../platform/masquage';
import { projectRoot } from '../platform/paths';
import { stopChild } from '../platform/processus';
import { argumentsServeurDev, connecterTemporal } from '../platform/serveur-temporal';
import { temporalCliPath } from '../platform/temporal-binaries';

function startChild(name: string, command: string, args: string[], logFile: string): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile, { flags: 'a' });
  // No INE or e-mail reaches the servers' log files (platform/masquage.ts).
  child.stdout?.pipe(fluxMasque()).pipe(log);
  child.stderr?.pipe(fluxMasque()).pipe(log);
  // The end of its output says why a child stopped (a port taken, a bad flag): shown with the notice.
  let fin = '';
  const garder = (morceau: Buffer) => (fin = masquerDonnees(fin + morceau.toString('utf8')).slice(-2_000));
  child.stdout?.on('data', garder);
  child.stderr?.on('data', garder);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} s'est arrêté (code ${code ?? signal}) : voir ${logFile}${fin ? `\n${fin.trimEnd()}` : ''}`);
      void shutdown(1);
    }
  });
  return child;
}

let stopping = false;
const children: ChildProcess[] = [];
let running: Running | undefined;

/** Stops the API and the worker (in-flight work finishes), then the servers, and exits with `code`. */
export async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await running?.stop().catch((error: unknown) => console.error(error));
  await Promise.all(children.map((child) => stopChild(child)));
  process.exit(code);
}

/** Temporal dev server and mail catcher as children, then worker and API in this process. */
export async function demarrerPile(config: Config): Promise<Running> {
  const dataDir = config.PASSPRO_DATA_DIR;
  mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
  const [temporalHost, temporalPort] = config.TEMPORAL_ADDRESS.split(':');

  children.push(
    startChild(
      'temporal',
      temporalCliPath(),
      argumentsServeurDev({
        fichier: path.join(dataDir, 'temporal.sqlite'),
        ip: temporalHost,
        port: Number(temporalPort),
        uiPort: config.TEMPORAL_UI_PORT,
        codecEndpoint: `${config.PUBLIC_URL.replace(/\/+$/, '')}/codec`,
      }),
      path.join(dataDir, 'logs', 'temporal.log'),
    ),
    startChild(
      'maildev',
      process.execPath,
      [
        path.join(projectRoot, 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js'),
        '--smtp', String(config.SMTP_PORT),
        '--web', String(config.MAIL_WEB_PORT),
        '--ip', '127.0.0.1',
        '--web-ip', '127.0.0.1',
        '--mail-directory', path.join(dataDir, 'mail'),
      ],
      path.join(dataDir, 'logs', 'maildev.log'),
    ),
  );

  // The development identity provider, unless the configuration names another one.
  if (config.OIDC_ISSUER === devIssuer(config.OIDC_DEV_PORT)) {
    children.push(
      startChild(
        'fournisseur-identite',
        path.join(projectRoot, 'node_modules', '.bin', 'tsx'),
        [path.join(projectRoot, 'runtime', 'identity-provider.ts')],
        path.join(dataDir, 'logs', 'identity-provider.log'),
      ),
    );
  }

  await (await connecterTemporal(config.TEMPORAL_ADDRESS)).close();
  running = await startPasspro(config, (message) => console.log(message));
  return running;
}

/** Where each part of the embedded stack is. */
export function ouSontLesParties(config: Config, running: Running): string[] {
  return [
    `  API            ${running.url}   (santé : ${running.url}/health)`,
    `  Temporal UI    ${config.TEMPORAL_UI_URL}   (données des élèves déchiffrées pour le SAIO connecté : ${config.PUBLIC_URL}/codec)`,
    `  Temporal gRPC  ${config.TEMPORAL_ADDRESS}`,
    `  Courriels      http://127.0.0.1:${config.MAIL_WEB_PORT}   (SMTP 127.0.0.1:${config.SMTP_PORT})`,
    config.OIDC_ISSUER === devIssuer(config.OIDC_DEV_PORT)
      ? `  Identification ${config.OIDC_ISSUER}   (fournisseur de développement : comptes des établissements et du SAIO)`
      : `  Identification ${config.OIDC_ISSUER}`,
    `  Pages          ${config.PUBLIC_URL}/connexion`,
    `  Base           ${config.DATABASE_URL}`,
    `  Journaux       ${path.join(config.PASSPRO_DATA_DIR, 'logs')}`,
  ];
}
