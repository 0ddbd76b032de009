import { ConfigError, loadConfig } from '../../platform/config';

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
  ])('stops on %j with a message naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^invalid configuration:\\n  ${name}: `));
  });
});
