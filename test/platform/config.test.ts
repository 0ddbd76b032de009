import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, DEV_CODEC_KEYS, DEV_ID_KEY, DEV_JWT_SECRET, estProduction, limitesDeProduction, loadConfig, octetsDEntropie } from '../../platform/config';
import { optionsConnexionTemporal } from '../../platform/connexion-temporal';

describe('configuration', () => {
  it('has embedded defaults: PGlite under the data folder, local Temporal and SMTP', () => {
    const config = loadConfig({ PASSPRO_DATA_DIR: '/srv/passpro' });
    expect(config).toMatchObject({
      PASSPRO_ROLE: 'all',
      DATABASE_URL: 'pglite:/srv/passpro/pglite',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      API_PORT: 3000,
      SMTP_PORT: 1025,
      SMTP_SECURE: false,
    });
  });

  it.each([
    [{ API_PORT: 'trois mille' }, 'API_PORT'],
    [{ API_PORT: '70000' }, 'API_PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ TEMPORAL_ADDRESS: 'localhost' }, 'TEMPORAL_ADDRESS'],
    [{ PASSPRO_ROLE: 'both' }, 'PASSPRO_ROLE'],
    [{ SAIO_EMAIL: 'saio' }, 'SAIO_EMAIL'],
    [{ SMTP_SECURE: 'yes' }, 'SMTP_SECURE'],
    [{ PUBLIC_URL: 'passpro' }, 'PUBLIC_URL'],
    [{ LIMITE_REQUETES_IP: '-1' }, 'LIMITE_REQUETES_IP'],
    [{ LIMITE_IMPORTS_HEURE: 'beaucoup' }, 'LIMITE_IMPORTS_HEURE'],
  ])('stops on %j with a message naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^invalid configuration:\\n  ${name}: `));
  });
});

describe('secrets of a production start', () => {
  const fort = randomBytes(48).toString('base64');
  /** A production start's own codec key and id key, for the tests of its other secrets. */
  const codec = {
    PASSPRO_CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    PASSPRO_ID_KEY: randomBytes(48).toString('base64'),
    OIDC_ISSUER: 'https://sso.ac-creteil.fr/realms/personnels',
    OIDC_CLIENT_SECRET: randomBytes(24).toString('base64'),
  };

  it.each([
    [{ NODE_ENV: 'production' }],
    [{ PASSPRO_ROLE: 'api' }],
    [{ PASSPRO_ROLE: 'worker' }],
    [{ PASSPRO_ROLE: 'api', JWT_SECRET: DEV_JWT_SECRET }],
  ])('refuses the public development secret: %j', (env) => {
    expect(() => loadConfig(env)).toThrow(/^invalid configuration:\n {2}JWT_SECRET: le secret de développement est public/);
  });

  it.each([
    ['32 letters of one kind', 'a'.repeat(40)],
    ['a short random base64 (24 bytes)', randomBytes(24).toString('base64')],
    ['31 random bytes in hexadecimal', randomBytes(31).toString('hex')],
    ['a passphrase of lower-case words', 'motdepassedelacademiedecreteil'.padEnd(36, 'x')],
    ['digits only', '1234567890'.repeat(4)],
  ])('refuses a secret of under 32 bytes of entropy: %s', (_cas, secret) => {
    expect(() => loadConfig({ PASSPRO_ROLE: 'api', JWT_SECRET: secret })).toThrow(/JWT_SECRET: environ \d+ octets d'entropie, au moins 32 attendus/);
  });

  it.each([
    ['openssl rand -base64 48', fort],
    ['openssl rand -base64 32', randomBytes(32).toString('base64')],
    ['openssl rand -hex 32', randomBytes(32).toString('hex')],
    ['a long mixed passphrase', 'Le-SAIO-de-Créteil/garde+ce+secret=2027!ailleurs#que-dans-git'],
  ])('accepts %s', (_cas, secret) => {
    expect(loadConfig({ NODE_ENV: 'production', PASSPRO_ROLE: 'api', JWT_SECRET: secret, ...codec }).JWT_SECRET).toBe(secret);
  });

  it("refuses the development key of the workflow ids, and one of under 32 bytes of entropy", () => {
    const autres = { JWT_SECRET: fort, PASSPRO_CODEC_KEYS: codec.PASSPRO_CODEC_KEYS };
    expect(() => loadConfig({ PASSPRO_ROLE: 'worker', ...autres })).toThrow(/^invalid configuration:\n {2}PASSPRO_ID_KEY: le secret de développement est public/);
    expect(() => loadConfig({ PASSPRO_ROLE: 'api', ...autres, PASSPRO_ID_KEY: 'x'.repeat(40) })).toThrow(/PASSPRO_ID_KEY: environ 0 octets d'entropie/);
    expect(loadConfig({}).PASSPRO_ID_KEY).toBe(DEV_ID_KEY);
  });

  it('refuses the development identity provider and its public client secret on a production API, not on a worker', () => {
    const autres = { JWT_SECRET: fort, PASSPRO_CODEC_KEYS: codec.PASSPRO_CODEC_KEYS, PASSPRO_ID_KEY: codec.PASSPRO_ID_KEY };
    expect(() => loadConfig({ PASSPRO_ROLE: 'api', ...autres })).toThrow(/OIDC_ISSUER: requis hors de la pile embarquée[^]*OIDC_CLIENT_SECRET: le secret de développement est public/);
    expect(() => loadConfig({ NODE_ENV: 'production', ...autres, OIDC_ISSUER: codec.OIDC_ISSUER })).toThrow(/OIDC_CLIENT_SECRET: le secret de développement est public/);
    expect(loadConfig({ PASSPRO_ROLE: 'worker', ...autres }).PASSPRO_ROLE).toBe('worker');
    expect(loadConfig({ PASSPRO_ROLE: 'api', ...autres, OIDC_ISSUER: codec.OIDC_ISSUER, OIDC_CLIENT_SECRET: codec.OIDC_CLIENT_SECRET }).OIDC_ISSUER).toBe(codec.OIDC_ISSUER);
  });

  it('keeps the development secret for the embedded stack (npm start, tests)', () => {
    expect(loadConfig({}).JWT_SECRET).toBe(DEV_JWT_SECRET);
    expect(estProduction(loadConfig({ NODE_ENV: 'test' }))).toBe(false);
  });

  it('estimates entropy by the form of the secret', () => {
    expect(octetsDEntropie(randomBytes(32).toString('hex'))).toBe(32);
    expect(octetsDEntropie(fort)).toBe(48);
    expect(octetsDEntropie('ab'.repeat(40))).toBe(0);
  });

  it('limits requests and imports by default on a production start only', () => {
    expect(loadConfig({ PASSPRO_ROLE: 'api', JWT_SECRET: fort, ...codec })).toMatchObject(limitesDeProduction);
    expect(loadConfig({})).toMatchObject({ LIMITE_REQUETES_IP: 0, LIMITE_REQUETES_PERSONNE: 0, LIMITE_IMPORTS_HEURE: 0 });
    expect(loadConfig({ LIMITE_IMPORTS_HEURE: '5' }).LIMITE_IMPORTS_HEURE).toBe(5);
    expect(loadConfig({ PASSPRO_ROLE: 'api', JWT_SECRET: fort, ...codec, LIMITE_REQUETES_IP: '0' }).LIMITE_REQUETES_IP).toBe(0);
  });

  it.each([
    [{ PASSPRO_ROLE: 'worker' }, /PASSPRO_CODEC_KEYS: requis hors de la pile embarquée/],
    [{ NODE_ENV: 'production', PASSPRO_CODEC_KEYS: DEV_CODEC_KEYS }, /PASSPRO_CODEC_KEYS: la clé de développement est publique/],
    [{ PASSPRO_ROLE: 'api', PASSPRO_CODEC_KEYS: `k2:${randomBytes(32).toString('base64')},${DEV_CODEC_KEYS}`, PASSPRO_CODEC_KEY_ID: 'k2' }, /la clé de développement est publique/],
    [{ PASSPRO_ROLE: 'api', PASSPRO_CODEC_KEYS: `k1:${randomBytes(31).toString('base64')}` }, /PASSPRO_CODEC_KEYS: la clé k1 fait 31 octets, 32 attendus/],
  ])('refuses to start without a codec key of its own: %j', (env, message) => {
    expect(() => loadConfig({ JWT_SECRET: fort, PASSPRO_ID_KEY: codec.PASSPRO_ID_KEY, ...env })).toThrow(message);
  });

  it('takes the codec keys of the deployment, the current one encrypting, and the development key on the embedded stack', () => {
    const [ancienne, nouvelle] = [randomBytes(32), randomBytes(32)];
    const config = loadConfig({ ...codec, PASSPRO_ROLE: 'api', JWT_SECRET: fort, PASSPRO_ID_KEY: codec.PASSPRO_ID_KEY, PASSPRO_CODEC_KEYS: `2026:${ancienne.toString('base64')},2027:${nouvelle.toString('base64')}`, PASSPRO_CODEC_KEY_ID: '2027' });
    expect(config.CODEC.courante).toBe('2027');
    expect([...config.CODEC.cles.entries()]).toEqual([['2026', ancienne], ['2027', nouvelle]]);
    expect(loadConfig({}).CODEC.courante).toBe('dev');
  });

  it('wants a client certificate with its key', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT: '/certs/client.pem' })).toThrow(/TEMPORAL_TLS_KEY: requis avec TEMPORAL_TLS_CERT/);
    expect(() => loadConfig({ TEMPORAL_TLS_KEY: '/certs/client.key' })).toThrow(/TEMPORAL_TLS_CERT: requis avec TEMPORAL_TLS_KEY/);
  });
});

describe('connection to Temporal', () => {
  it('is plain on the embedded stack', () => {
    expect(optionsConnexionTemporal(loadConfig({}))).toEqual({ address: '127.0.0.1:7233' });
  });

  it('reads the CA, the client certificate and its key (mTLS), and the server name', () => {
    const dossier = mkdtempSync(path.join(tmpdir(), 'passpro-tls-'));
    const fichier = (nom: string) => {
      writeFileSync(path.join(dossier, nom), `contenu de ${nom}`);
      return path.join(dossier, nom);
    };
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_TLS_CA: fichier('ca.pem'),
      TEMPORAL_TLS_CERT: fichier('client.pem'),
      TEMPORAL_TLS_KEY: fichier('client.key'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal',
    });
    const { tls, address } = optionsConnexionTemporal(config);
    expect(address).toBe('temporal:7233');
    expect(tls?.serverNameOverride).toBe('temporal');
    expect(String(tls?.serverRootCACertificate)).toBe('contenu de ca.pem');
    expect([String(tls?.clientCertPair?.crt), String(tls?.clientCertPair?.key)]).toEqual(['contenu de client.pem', 'contenu de client.key']);
  });

  it('uses TLS with an API key for Temporal Cloud', () => {
    const options = optionsConnexionTemporal(loadConfig({ TEMPORAL_ADDRESS: 'passpro.a1b2c.tmprl.cloud:7233', TEMPORAL_API_KEY: 'cle' }));
    expect(options).toEqual({ address: 'passpro.a1b2c.tmprl.cloud:7233', tls: {}, apiKey: 'cle' });
  });

  it('stops naming the variable whose file cannot be read', () => {
    expect(() => optionsConnexionTemporal(loadConfig({ TEMPORAL_TLS_CA: '/nulle/part/ca.pem' }))).toThrow(/TEMPORAL_TLS_CA: \/nulle\/part\/ca.pem illisible \(ENOENT\)/);
  });
});
