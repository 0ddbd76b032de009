// The full Temporal server as docker-compose runs it, for the benchmarks (`--serveur postgres`): persistence and
// visibility on PostgreSQL, four history shards, the deployment's own dynamic configuration and its schema and
// init scripts (deploy/temporal/). Built by scripts/install-temporal-server.sh; no TLS here.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../platform/paths';
import { temporalCliPath } from '../platform/temporal-binaries';
import { cliSearchAttributeTypes, passproSearchAttributes } from '../workflows/search-attributes';
import { portLibre, portLibreBas } from '../test/support/ports';

const cache = path.join(projectRoot, '.cache', 'temporal-server');
const binaire = path.join(cache, 'bin', 'temporal-server');
const deploiement = path.join(projectRoot, 'deploy', 'temporal');

export interface ServeurPostgres {
  /** The PostgreSQL server (its admin URL): Temporal's two databases are created there. */
  urlPg: URL;
  dossier: string;
  port: number;
  /** Added to the deployment's dynamic configuration (production-sql.yaml). */
  configuration: Record<string, unknown>;
}

/** A dynamic configuration's entries as the server's file holds them. */
const yamlConfiguration = (configuration: Record<string, unknown>) =>
  Object.entries(configuration)
    .map(([cle, valeur]) => `${cle}:\n  - value: ${JSON.stringify(valeur)}\n    constraints: {}\n`)
    .join('');

/**
 * Creates Temporal's databases with the deployment's script, writes the server's configuration and returns
 * what starts it (`lancer`'s arguments); `initialiser` registers the namespace and the search attributes once
 * the frontend answers, with the deployment's init script.
 */
export async function preparerServeurPostgres({ urlPg, dossier, port, configuration }: ServeurPostgres) {
  if (!existsSync(binaire)) throw new Error(`serveur Temporal complet absent : lancer bash scripts/install-temporal-server.sh (${binaire})`);
  const pg = { POSTGRES_SEEDS: urlPg.hostname, DB_PORT: urlPg.port, POSTGRES_USER: decodeURIComponent(urlPg.username), POSTGRES_PWD: decodeURIComponent(urlPg.password) };
  const chemin = `${path.join(cache, 'bin')}:${path.dirname(temporalCliPath())}:${process.env.PATH}`;
  execFileSync('sh', [path.join(deploiement, 'setup-schema.sh')], { env: { ...process.env, ...pg, PATH: chemin, TEMPORAL_SCHEMA_DIR: path.join(cache, 'schema') }, stdio: 'ignore' });

  const ports = { frontend: port, history: await portLibre(), matching: await portLibre(), worker: await portLibre() };
  const membres = { frontend: await portLibreBas(), history: await portLibreBas(), matching: await portLibreBas(), worker: await portLibreBas() };
  const magasin = (base: string, connexions: number) => `      sql:
        pluginName: postgres12
        databaseName: ${base}
        connectAddr: "${urlPg.hostname}:${urlPg.port}"
        connectProtocol: tcp
        user: "${pg.POSTGRES_USER}"
        password: "${pg.POSTGRES_PWD}"
        maxConns: ${connexions}
        maxIdleConns: ${connexions}
        maxConnLifetime: 1h
`;
  const service = (nom: keyof typeof ports) => `  ${nom}:
    rpc:
      grpcPort: ${ports[nom]}
      membershipPort: ${membres[nom]}
      bindOnIP: 127.0.0.1
`;
  const fichierDynamique = path.join(dossier, 'dynamicconfig.yaml');
  writeFileSync(fichierDynamique, `${readFileSync(path.join(deploiement, 'dynamicconfig', 'production-sql.yaml'), 'utf8')}${yamlConfiguration(configuration)}`);
  const fichierConfig = path.join(dossier, 'temporal-server.yaml');
  writeFileSync(
    fichierConfig,
    `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:
${magasin('temporal', 20)}    visibility:
${magasin('temporal_visibility', 10)}global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
${(Object.keys(ports) as (keyof typeof ports)[]).map(service).join('')}clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: 127.0.0.1:${port}
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${fichierDynamique}
  pollInterval: 10s
`,
  );
  const initialiser = () =>
    execFileSync('sh', [path.join(deploiement, 'init.sh')], {
      env: {
        ...process.env,
        PATH: chemin,
        TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
        PASSPRO_SEARCH_ATTRIBUTES: passproSearchAttributes.map((cle) => `${cle.name}=${cliSearchAttributeTypes[cle.type]}`).join(','),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  return { commande: binaire, args: ['--config-file', fichierConfig, '--allow-no-auth', 'start'], initialiser };
}
