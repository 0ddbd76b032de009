// The Temporal dev server as Passpro runs it (`npm start`, the fault tests, the académie benchmark): one SQLite
// file, WAL and relaxed syncs, the project's search attributes registered at start.
import { Connection } from '@temporalio/client';
import { cliSearchAttributeTypes, passproSearchAttributes } from '../workflows/search-attributes';

export interface ServeurDev {
  fichier: string;
  ip: string;
  port: number;
  /** The Web UI's port; without one the server runs headless. */
  uiPort?: number;
  /** Where the Web UI decodes the encrypted payloads (Passpro's codec endpoint, api/codec.ts). */
  codecEndpoint?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Dynamic configuration added to `configurationDynamique` (a benchmark's lever). */
  configuration?: Record<string, unknown>;
}

/**
 * The dynamic configuration of every Temporal server Passpro runs (docker-compose's is
 * deploy/temporal/dynamicconfig/production-sql.yaml): an activity scheduled by a workflow task is handed back
 * with the task's completion to the worker, when it has a free slot — no trip through matching, no separate
 * start. It is the default of the dev server's Temporal (1.32), not of docker-compose's (1.31): said for both,
 * so that the deployment dispatches as the measured dev server does. Off on the dev server, 3,000 starts and
 * their deadline stayed within the spread of the runs with it on (bench:academie); the deadline's write is a
 * local activity, which it does not concern.
 */
export const configurationDynamique: Record<string, unknown> = { 'system.enableActivityEagerExecution': true };

/** Dynamic configuration as the Temporal CLI takes it (`--dynamic-config-value KEY=JSON`). */
const argumentsConfiguration = (configuration: Record<string, unknown>) =>
  Object.entries(configuration).flatMap(([cle, valeur]) => ['--dynamic-config-value', `${cle}=${JSON.stringify(valeur)}`]);
export const argumentsConfigurationDynamique = argumentsConfiguration(configurationDynamique);

/** Arguments of `temporal server start-dev`. */
export function argumentsServeurDev({ fichier, ip, port, uiPort, codecEndpoint, logLevel = 'warn', configuration = {} }: ServeurDev): string[] {
  return [
    'server', 'start-dev',
    '--db-filename', fichier,
    '--ip', ip,
    '--port', String(port),
    ...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort), '--ui-disable-news-fetch']),
    ...(uiPort !== undefined && codecEndpoint ? ['--ui-codec-endpoint', codecEndpoint] : []),
    '--log-level', logLevel,
    // One SQLite connection serves everything: WAL and relaxed syncs keep it from being the bottleneck.
    '--sqlite-pragma', 'journal_mode=WAL',
    '--sqlite-pragma', 'synchronous=NORMAL',
    ...argumentsConfiguration({ ...configurationDynamique, ...configuration }),
    ...passproSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${cliSearchAttributeTypes[key.type]}`]),
  ];
}

/** A connection to a server that is starting: retried until it answers, or `delaiMs` has passed. */
export async function connecterTemporal(adresse: string, delaiMs = 60_000): Promise<Connection> {
  const limite = Date.now() + delaiMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address: adresse, connectTimeout: 2_000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (error) {
      if (Date.now() > limite) throw new Error(`Temporal ne répond pas sur ${adresse}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
