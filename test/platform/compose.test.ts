// No Docker engine runs here: the deployment file is checked against the app's own configuration schema,
// search attributes and ports, so that it cannot silently drift from the code.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema, loadConfig } from '../../platform/config';
import { projectRoot } from '../../platform/paths';
import { configurationDynamique } from '../../platform/serveur-temporal';
import { argumentsNodeWorker } from '../../worker';
import { cliSearchAttributeTypes, passproSearchAttributes } from '../../workflows/search-attributes';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const { services } = compose;
/** What a deployment must set (compose's `${VAR:?message}`), with a value of the shape it takes. */
const requises: Record<string, string> = {
  JWT_SECRET: 'x'.repeat(48),
  OIDC_ISSUER: 'https://sso.ac-creteil.fr',
  OIDC_CLIENT_ID: 'passpro',
  OIDC_CLIENT_SECRET: 'y'.repeat(32),
};
/** Compose's `${VAR:-default}` as compose would expand it with nothing set, and `${VAR:?…}` with `requises`. */
const expand = (value: string) =>
  value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1').replace(/\$\{([A-Z_]+):\?[^}]*\}/g, (_, name: string) => requises[name] ?? '');
const envOf = (name: string) => Object.fromEntries(Object.entries(services[name].environment ?? {}).map(([k, v]) => [k, expand(String(v))]));

describe('docker-compose.yml', () => {
  it('has the production-like stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'mailpit', 'migrate', 'postgres', 'temporal', 'temporal-init', 'temporal-schema', 'temporal-ui', 'worker'].sort(),
    );
    expect(services.migrate.build).toBe('.');
    for (const name of ['migrate', 'worker', 'api']) expect(services[name].image).toBe('passpro:latest');
    // Every third-party image is pinned to a version.
    for (const [name, service] of Object.entries(services)) {
      if (service.image && !service.image.startsWith('passpro:')) expect([name, service.image]).toEqual([name, expect.stringMatching(/:v?\d+(\.\d+)*$/)]);
    }
  });

  it.each(['migrate', 'worker', 'api'])('gives %s a configuration the app accepts, with no unknown variable', (name) => {
    const env = envOf(name);
    const known = Object.keys(configSchema.shape);
    expect(Object.keys(env).filter((key) => !known.includes(key))).toEqual([]);
    const config = loadConfig(env);
    expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(config.SMTP_HOST).toBe('mailpit');
    expect(config.SMTP_PORT).toBe(1025);
    const db = new URL(config.DATABASE_URL);
    const pg = envOf('postgres');
    expect([db.hostname, db.port, db.username, db.password, db.pathname]).toEqual([
      'postgres', '5432', pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, `/${pg.POSTGRES_DB}`,
    ]);
  });

  it('requires the token key and the sign-in at an external provider: no default, no embedded provider', () => {
    const brut = (name: string) => services[name].environment ?? {};
    for (const name of ['migrate', 'worker', 'api']) expect(String(brut(name).JWT_SECRET)).toMatch(/^\$\{JWT_SECRET:\?/);
    for (const variable of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']) {
      expect([variable, String(brut('api')[variable])]).toEqual([variable, expect.stringMatching(new RegExp(`^\\$\\{${variable}:\\?`))]);
    }
    const api = loadConfig(envOf('api'));
    expect([api.OIDC_ISSUER, api.OIDC_CLIENT_ID, api.OIDC_REDIRECT_URI]).toEqual(['https://sso.ac-creteil.fr', 'passpro', 'http://localhost:3000/connexion/retour']);
  });

  it('runs the worker and the API as separate roles, the API published on its port', () => {
    expect(loadConfig(envOf('worker')).PASSPRO_ROLE).toBe('worker');
    expect(services.worker.command).toEqual(['node', ...argumentsNodeWorker, 'dist/runtime/main.js']);
    const api = loadConfig(envOf('api'));
    expect(api.PASSPRO_ROLE).toBe('api');
    expect(api.API_HOST).toBe('0.0.0.0');
    expect(services.api.ports).toContain(`${api.API_PORT}:${api.API_PORT}`);
    expect(services.api.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${api.API_PORT}/health`);
    expect(services.temporal.ports).toContain('7233:7233');
    expect(services['temporal-ui'].ports).toContain('8233:8080');
    expect(services.mailpit.ports).toEqual(expect.arrayContaining(['1025:1025', '1080:8025']));
  });

  it('starts things in order: schema, server, init; migrations before the app', () => {
    const dep = (name: string) => Object.fromEntries(Object.entries(services[name].depends_on ?? {}).map(([k, v]) => [k, v.condition]));
    expect(dep('temporal-schema')).toEqual({ postgres: 'service_healthy' });
    expect(dep('temporal')).toEqual({ 'temporal-schema': 'service_completed_successfully' });
    expect(dep('temporal-init')).toEqual({ temporal: 'service_healthy' });
    expect(dep('migrate')).toEqual({ postgres: 'service_healthy' });
    for (const name of ['worker', 'api']) {
      expect(dep(name)).toMatchObject({ migrate: 'service_completed_successfully', 'temporal-init': 'service_completed_successfully' });
    }
    for (const [name, service] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[target]).toBeDefined();
        if (condition === 'service_healthy') expect([name, target, services[target].healthcheck]).toEqual([name, target, expect.anything()]);
      }
    }
    expect(services.migrate.command).toEqual(['node', 'dist/runtime/migrate.js']);
  });

  it('registers exactly the search attributes the workflows use', () => {
    const registered = envOf('temporal-init').PASSPRO_SEARCH_ATTRIBUTES.split(',');
    expect(registered).toEqual(passproSearchAttributes.map((key) => `${key.name}=${cliSearchAttributeTypes[key.type]}`));
  });

  it('gives the server the dynamic configuration of the dev server Passpro runs', () => {
    const fichier = envOf('temporal').DYNAMIC_CONFIG_FILE_PATH.replace(/^config\/dynamicconfig\//, '');
    const configuration = parse(readFileSync(path.join(projectRoot, 'deploy/temporal/dynamicconfig', fichier), 'utf8')) as Record<string, { value: unknown }[]>;
    for (const [cle, valeur] of Object.entries(configurationDynamique)) expect([cle, configuration[cle]?.[0]?.value]).toEqual([cle, valeur]);
  });

  it('mounts files that exist and runs the scripts it mounts', () => {
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) expect([volume, existsSync(path.join(projectRoot, source))]).toEqual([volume, true]);
      }
      const script = service.entrypoint?.[1];
      if (script?.startsWith('/passpro/')) expect(existsSync(path.join(projectRoot, 'deploy/temporal', path.basename(script)))).toBe(true);
    }
    expect(readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8')).toMatch(/CMD \["node", "dist\/runtime\/main.js"\]/);
  });
});
