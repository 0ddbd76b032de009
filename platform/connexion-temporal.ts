// How the API and the worker reach Temporal: plain on the embedded stack, TLS with a client certificate
// (mTLS: docker-compose's own server, or Temporal Cloud) or TLS with an API key (Temporal Cloud).
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError, type Config } from './config';

export interface OptionsConnexionTemporal {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

type ConfigTemporal = Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_TLS_CA' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY' | 'TEMPORAL_TLS_SERVER_NAME' | 'TEMPORAL_API_KEY'>;

/** A PEM file named by a variable; unreadable, the start stops naming the variable. */
function lire(variable: string, fichier: string): Buffer {
  try {
    return readFileSync(fichier);
  } catch (error) {
    throw new ConfigError(`invalid configuration:\n  ${variable}: ${fichier} illisible (${(error as NodeJS.ErrnoException).code ?? 'erreur'})`);
  }
}

/** The options of `Connection.connect` and `NativeConnection.connect` (the same shape for both). */
export function optionsConnexionTemporal(config: ConfigTemporal): OptionsConnexionTemporal {
  const { TEMPORAL_TLS_CA: ca, TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_SERVER_NAME: nom, TEMPORAL_API_KEY: apiKey } = config;
  if (!ca && !cert && !nom && !apiKey) return { address: config.TEMPORAL_ADDRESS };
  const tls: TLSConfig = {
    ...(nom ? { serverNameOverride: nom } : {}),
    ...(ca ? { serverRootCACertificate: lire('TEMPORAL_TLS_CA', ca) } : {}),
    ...(cert && key ? { clientCertPair: { crt: lire('TEMPORAL_TLS_CERT', cert), key: lire('TEMPORAL_TLS_KEY', key) } } : {}),
  };
  return { address: config.TEMPORAL_ADDRESS, tls, ...(apiKey ? { apiKey } : {}) };
}
