// No Docker engine runs here: the deployment file is checked against the app's own configuration schema,
// search attributes and ports, so that it cannot silently drift from the code; and against what the issue
// of side doors asks: only the API and the UI's sign-in proxy published, the rest on an internal network,
// mTLS on Temporal's frontend with certificates that the `certs` service makes (made here too, and tried),
// the Temporal UI behind the SAIO's sign-in.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { parse } from 'yaml';
import { configSchema, estProduction, loadConfig } from '../../platform/config';
import { optionsConnexionTemporal } from '../../platform/connexion-temporal';
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
  networks?: string[];
  network_mode?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean } | null>;
  volumes: Record<string, unknown>;
};
const { services } = compose;
/** What an operator gives for the variables that have no default (`${VAR:?message}`). */
const fournis: Record<string, string> = {
  JWT_SECRET: randomBytes(48).toString('base64'),
  PASSPRO_CODEC_KEYS: `2027:${randomBytes(32).toString('base64')}`,
  PASSPRO_ID_KEY: randomBytes(48).toString('base64'),
  OIDC_ISSUER: 'https://sso.ac-creteil.fr/realms/personnels',
  OIDC_CLIENT_ID: 'passpro',
  OIDC_CLIENT_SECRET: randomBytes(24).toString('base64'),
  TEMPORAL_UI_OIDC_CLIENT_ID: 'passpro-temporal-ui',
  TEMPORAL_UI_OIDC_CLIENT_SECRET: randomBytes(24).toString('base64'),
  TEMPORAL_UI_COOKIE_SECRET: randomBytes(32).toString('base64url'),
};
/** Compose's interpolation as compose would do it with `fournis` set: defaults, and required variables. */
const expand = (value: string) =>
  value
    .replace(/\$\{([A-Z_]+):-([^}]*)\}/g, (_m, nom: string, defaut: string) => fournis[nom] ?? defaut)
    .replace(/\$\{([A-Z_]+)(?::\?[^}]*)?\}/g, (_m, nom: string) => {
      if (!(nom in fournis)) throw new Error(`\${${nom}} sans valeur par défaut : à ajouter aux variables fournies par le test`);
      return fournis[nom];
    });
const envOf = (name: string) => Object.fromEntries(Object.entries(services[name].environment ?? {}).map(([k, v]) => [k, expand(String(v))]));
const brut = (name: string, variable: string) => String(services[name].environment?.[variable]);
/** The names of the `certs` volume's files that a service is given (paths under /certs). */
const fichiersCerts = (env: Record<string, string>) => Object.values(env).filter((v) => v.startsWith('/certs/')).map((v) => v.slice('/certs/'.length));

describe('docker-compose.yml', () => {
  it('has the production-like stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'certs', 'mailpit', 'migrate', 'postgres', 'temporal', 'temporal-init', 'temporal-schema', 'temporal-ui', 'temporal-ui-proxy', 'worker'].sort(),
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
    expect([api.OIDC_ISSUER, api.OIDC_CLIENT_ID, api.OIDC_REDIRECT_URI]).toEqual(['https://sso.ac-creteil.fr/realms/personnels', 'passpro', 'http://localhost:3000/connexion/retour']);
  });

  it('runs the worker and the API as separate roles, the API published on its port', () => {
    expect(loadConfig(envOf('worker')).PASSPRO_ROLE).toBe('worker');
    expect(services.worker.command).toEqual(['node', ...argumentsNodeWorker, 'dist/runtime/main.js']);
    const api = loadConfig(envOf('api'));
    expect(api.PASSPRO_ROLE).toBe('api');
    expect(api.API_HOST).toBe('0.0.0.0');
    expect(services.api.ports).toContain(`${api.API_PORT}:${api.API_PORT}`);
    expect(services.api.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${api.API_PORT}/health`);
  });

  it('starts things in order: schema, server, init; migrations before the app', () => {
    const dep = (name: string) => Object.fromEntries(Object.entries(services[name].depends_on ?? {}).map(([k, v]) => [k, v.condition]));
    expect(dep('temporal-schema')).toEqual({ postgres: 'service_healthy' });
    expect(dep('temporal')).toEqual({ certs: 'service_completed_successfully', 'temporal-schema': 'service_completed_successfully' });
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

describe('no side door', () => {
  const publies = Object.entries(services).filter(([, service]) => (service.ports ?? []).length > 0).map(([name]) => name);

  it('publishes the API and the Temporal UI sign-in proxy, nothing else', () => {
    expect(publies.sort()).toEqual(['api', 'temporal-ui-proxy']);
    const api = loadConfig(envOf('api'));
    expect(services.api.ports).toEqual([`${api.API_PORT}:${api.API_PORT}`]);
    const proxy = envOf('temporal-ui-proxy');
    expect(services['temporal-ui-proxy'].ports).toEqual([`8233:${proxy.OAUTH2_PROXY_HTTP_ADDRESS.split(':')[1]}`]);
  });

  it('keeps Temporal, PostgreSQL, the mail relay and Passpro behind an internal network', () => {
    expect(compose.networks.interne).toEqual({ internal: true });
    for (const name of ['postgres', 'temporal', 'temporal-schema', 'temporal-init', 'mailpit', 'migrate', 'worker']) {
      expect([name, services[name].networks]).toEqual([name, ['interne']]);
    }
    // Only what is published, and the UI (which reaches the SSO), are on a network with a way out.
    const dehors = Object.entries(services).filter(([, s]) => (s.networks ?? []).some((n) => !compose.networks[n]?.internal)).map(([name]) => name);
    expect(dehors.sort()).toEqual(['api', 'temporal-ui', 'temporal-ui-proxy']);
    expect(services['temporal-ui'].ports).toBeUndefined();
    // Every service is on a declared network, or on none (the certificates are made offline).
    for (const [name, service] of Object.entries(services)) {
      if (name === 'certs') expect(service.network_mode).toBe('none');
      else for (const n of service.networks ?? ['default']) expect([name, n in compose.networks]).toEqual([name, true]);
    }
  });

  it('gives every variable the app needs, and refuses to start without the secrets', () => {
    for (const name of ['worker', 'api']) {
      const config = loadConfig(envOf(name));
      expect(estProduction(config)).toBe(true);
      expect(config.JWT_SECRET).toBe(fournis.JWT_SECRET);
      expect(config.CODEC.courante).toBe('2027');
    }
    // No default: compose stops with the message when the operator gives none.
    for (const [name, variable] of [['api', 'JWT_SECRET'], ['worker', 'PASSPRO_CODEC_KEYS'], ['api', 'PASSPRO_CODEC_KEYS'], ['api', 'PASSPRO_ID_KEY'], ['temporal-ui', 'TEMPORAL_AUTH_CLIENT_SECRET'], ['temporal-ui-proxy', 'OAUTH2_PROXY_COOKIE_SECRET']]) {
      expect(brut(name, variable)).toMatch(/^\$\{[A-Z_]+:\?.+\}$/);
    }
  });
});

describe('encrypted workflow data', () => {
  it("has the Temporal UI decode the payloads at the API's codec endpoint, with the SAIO's Passpro session", () => {
    const api = loadConfig(envOf('api'));
    const ui = envOf('temporal-ui');
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe(`${api.PUBLIC_URL}/codec`);
    expect(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
    // The codec endpoint answers the browser from the UI's origin: the one the SAIO reaches it at.
    expect(new URL(api.TEMPORAL_UI_URL).origin).toBe(new URL(envOf('temporal-ui-proxy').OAUTH2_PROXY_REDIRECT_URL).origin);
    expect(ui.TEMPORAL_CORS_ORIGINS).toBe(api.TEMPORAL_UI_URL);
  });

  it('encrypts with the same keys in the worker and the API, and names candidatures with the same key', () => {
    const [worker, api] = [loadConfig(envOf('worker')), loadConfig(envOf('api'))];
    expect(worker.CODEC).toEqual(api.CODEC);
    expect(worker.PASSPRO_ID_KEY).toBe(api.PASSPRO_ID_KEY);
  });
});

describe('mTLS between Passpro and Temporal', () => {
  const serveur = envOf('temporal');
  const nomServeur = envOf('certs').TEMPORAL_SERVER_NAME;
  let dossier: string;
  beforeAll(() => {
    // The `certs` service's script, as the container runs it, into a folder of the test.
    dossier = mkdtempSync(path.join(tmpdir(), 'passpro-certs-'));
    execFileSync('sh', [path.join(projectRoot, 'deploy/certs/generer.sh')], { env: { ...process.env, CERTS_DIR: dossier, TEMPORAL_SERVER_NAME: nomServeur }, stdio: 'ignore' });
  });
  const fichier = (chemin: string) => path.join(dossier, chemin.replace(/^\/certs\//, ''));

  it('is required by the server, on the frontend and between its services', () => {
    expect(serveur.TEMPORAL_TLS_REQUIRE_CLIENT_AUTH).toBe('true');
    for (const variable of ['TEMPORAL_TLS_SERVER_CERT', 'TEMPORAL_TLS_SERVER_KEY', 'TEMPORAL_TLS_SERVER_CA_CERT', 'TEMPORAL_TLS_FRONTEND_CERT', 'TEMPORAL_TLS_FRONTEND_KEY', 'TEMPORAL_TLS_CLIENT1_CA_CERT', 'TEMPORAL_TLS_CLIENT2_CA_CERT']) {
      expect([variable, serveur[variable]]).toEqual([variable, expect.stringMatching(/^\/certs\//)]);
    }
    expect([serveur.TEMPORAL_TLS_FRONTEND_SERVER_NAME, serveur.TEMPORAL_TLS_INTERNODE_SERVER_NAME]).toEqual([nomServeur, nomServeur]);
    expect([serveur.TEMPORAL_TLS_FRONTEND_DISABLE_HOST_VERIFICATION, serveur.TEMPORAL_TLS_INTERNODE_DISABLE_HOST_VERIFICATION]).toEqual(['false', 'false']);
  });

  it.each(['worker', 'api'])('is used by the %s, with a certificate of its own', (name) => {
    const config = loadConfig(envOf(name));
    expect([config.TEMPORAL_TLS_CA, config.TEMPORAL_TLS_SERVER_NAME]).toEqual([serveur.TEMPORAL_TLS_CLIENT1_CA_CERT, nomServeur]);
    expect(config.TEMPORAL_TLS_CERT).toBe(`/certs/client-${name}.pem`);
    expect(config.TEMPORAL_TLS_KEY).toBe(`/certs/client-${name}.key`);
    expect(services[name].volumes).toContain('certs:/certs:ro');
  });

  it('is used by the admin tools and the UI', () => {
    const init = envOf('temporal-init');
    expect(fichiersCerts(init)).toEqual(['ca.pem', 'client-admin.pem', 'client-admin.key']);
    expect(init.TEMPORAL_TLS_SERVER_NAME).toBe(nomServeur);
    const ui = envOf('temporal-ui');
    expect(fichiersCerts(ui)).toEqual(['ca.pem', 'client-ui.pem', 'client-ui.key']);
    expect([ui.TEMPORAL_TLS_SERVER_NAME, ui.TEMPORAL_TLS_ENABLE_HOST_VERIFICATION]).toEqual([nomServeur, 'true']);
  });

  it('mounts the certificates read-only everywhere but in the service that makes them', () => {
    expect(compose.volumes).toHaveProperty('certs');
    expect(services.certs.volumes).toEqual(['certs:/certs']);
    /** Whether `name` starts after `cible` has, through its dependencies. */
    const apres = (name: string, cible: string): boolean => Object.keys(services[name].depends_on ?? {}).some((d) => d === cible || apres(d, cible));
    for (const [name, service] of Object.entries(services)) {
      if (name === 'certs') continue;
      const montage = (service.volumes ?? []).find((v) => v.startsWith('certs:'));
      if (montage || fichiersCerts(envOf(name)).length > 0) {
        expect([name, montage, apres(name, 'certs')]).toEqual([name, 'certs:/certs:ro', true]);
      }
    }
    expect(services.temporal.depends_on?.certs).toEqual({ condition: 'service_completed_successfully' });
  });

  it('names only files that the certs service makes', () => {
    for (const name of Object.keys(services)) {
      for (const nom of fichiersCerts(envOf(name))) expect([name, nom, existsSync(path.join(dossier, nom))]).toEqual([name, nom, true]);
    }
  });

  it('works with those files: the API gets through, a caller without a certificate of the CA does not', async () => {
    const ecoute = tls.createServer({
      cert: readFileSync(fichier(serveur.TEMPORAL_TLS_FRONTEND_CERT)),
      key: readFileSync(fichier(serveur.TEMPORAL_TLS_FRONTEND_KEY)),
      ca: readFileSync(fichier(serveur.TEMPORAL_TLS_CLIENT1_CA_CERT)),
      requestCert: true,
      rejectUnauthorized: true,
    }, (socket) => socket.end('ok'));
    await new Promise<void>((resolve) => ecoute.listen(0, '127.0.0.1', resolve));
    const port = (ecoute.address() as { port: number }).port;
    const api = loadConfig(envOf('api'));
    const { tls: options } = optionsConnexionTemporal({ ...api, TEMPORAL_TLS_CA: fichier(api.TEMPORAL_TLS_CA!), TEMPORAL_TLS_CERT: fichier(api.TEMPORAL_TLS_CERT!), TEMPORAL_TLS_KEY: fichier(api.TEMPORAL_TLS_KEY!) });
    const appeler = (client: tls.ConnectionOptions) =>
      new Promise<string>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port, servername: options?.serverNameOverride, ca: options?.serverRootCACertificate as Buffer, ...client }, () => undefined);
        let recu = '';
        socket.on('data', (d: Buffer) => (recu += d.toString())).on('end', () => resolve(recu)).on('error', reject);
      });
    try {
      expect(await appeler({ cert: options?.clientCertPair?.crt as Buffer, key: options?.clientCertPair?.key as Buffer })).toBe('ok');
      await expect(appeler({})).rejects.toThrow();
      // A host name other than the certificate's is refused by the caller.
      await expect(appeler({ servername: 'ailleurs', cert: options?.clientCertPair?.crt as Buffer, key: options?.clientCertPair?.key as Buffer })).rejects.toThrow(/altnames|Hostname/i);
    } finally {
      ecoute.close();
    }
  });
});

describe('Temporal UI', () => {
  const ui = envOf('temporal-ui');
  const proxy = envOf('temporal-ui-proxy');

  it("signs in with its own OIDC, at the staff application's issuer, with a client of its own", () => {
    expect(ui.TEMPORAL_AUTH_ENABLED).toBe('true');
    expect(ui.TEMPORAL_AUTH_TYPE).toBe('oidc');
    expect(brut('temporal-ui', 'TEMPORAL_AUTH_PROVIDER_URL')).toMatch(/^\$\{OIDC_ISSUER:\?/);
    expect([ui.TEMPORAL_AUTH_PROVIDER_URL, ui.TEMPORAL_AUTH_ISSUER_URL]).toEqual([fournis.OIDC_ISSUER, fournis.OIDC_ISSUER]);
    expect(ui.TEMPORAL_AUTH_CLIENT_ID).toBe(fournis.TEMPORAL_UI_OIDC_CLIENT_ID);
    expect(ui.TEMPORAL_AUTH_SCOPES.split(',')).toContain('openid');
    expect(ui.TEMPORAL_AUTH_CALLBACK_URL).toMatch(/^https:\/\/.+\/auth\/sso\/callback$/);
  });

  it("uses the staff application's issuer wherever the application names one", () => {
    for (const name of ['api', 'worker']) {
      const issuer = envOf(name).OIDC_ISSUER;
      if (issuer !== undefined) expect([name, issuer]).toEqual([name, ui.TEMPORAL_AUTH_PROVIDER_URL]);
    }
  });

  it('is read-only: actions go through the API, which checks who acts', () => {
    expect(ui.TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
  });

  it('is reached only through the proxy, which lets the SAIO group alone through, signed in at the same issuer', () => {
    expect(proxy.OAUTH2_PROXY_PROVIDER).toBe('oidc');
    expect(proxy.OAUTH2_PROXY_OIDC_ISSUER_URL).toBe(ui.TEMPORAL_AUTH_PROVIDER_URL);
    expect(proxy.OAUTH2_PROXY_CLIENT_ID).toBe(ui.TEMPORAL_AUTH_CLIENT_ID);
    expect(proxy.OAUTH2_PROXY_ALLOWED_GROUPS).toBe('saio');
    expect(proxy.OAUTH2_PROXY_OIDC_GROUPS_CLAIM).toBe('groups');
    expect(proxy.OAUTH2_PROXY_COOKIE_SECURE).toBe('true');
    expect(proxy.OAUTH2_PROXY_UPSTREAMS).toBe('http://temporal-ui:8080/');
    expect(new URL(proxy.OAUTH2_PROXY_REDIRECT_URL).origin).toBe(new URL(ui.TEMPORAL_AUTH_CALLBACK_URL).origin);
  });
});
