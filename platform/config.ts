// Configuration from environment variables, validated once at start: a wrong or missing value stops the
// program with a message naming the variable. Every variable is documented in README.md.
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './paths';

const port = z.coerce.number().int().min(1).max(65535);
/**
 * Signs and checks the API's tokens (HS256). The default is for the embedded stack (`npm start`, tests) only:
 * it is public, so any deployment sets its own (docker-compose.yml requires it).
 */
export const DEV_JWT_SECRET = 'passpro-dev-secret-public-NOT-FOR-PRODUCTION';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const configSchema = z.object({
  /** all: worker + API in one process (embedded default); worker or api alone (docker-compose). */
  PASSPRO_ROLE: z.enum(['all', 'worker', 'api']).default('all'),
  PASSPRO_DATA_DIR: z.string().min(1).default(path.join(projectRoot, 'data')),
  /** postgresql://… for a PostgreSQL server; pglite:<dir> or pglite:memory for the embedded database. */
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/.+|pglite:.+)$/, 'attendu postgresql://… ou pglite:<dossier> ou pglite:memory')
    .optional(),
  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'attendu hôte:port').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('passpro'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  /** Base of the links put in e-mails. */
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: port.default(1025),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  MAIL_FROM: z.string().min(3).default('Passpro <passpro@ac-creteil.fr>'),
  SAIO_EMAIL: z.email().default('saio@ac-creteil.fr'),
  /** Who runs Passpro, told of incidents; the SAIO when unset. */
  OPERATEURS_EMAIL: z.email().optional(),
  /** Paris time at which the day's digest of reminders leaves: after the campaigns' reminder hour (08:00). */
  DIGEST_HEURE: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'attendu HH:MM').default('08:30'),
  /** Used by `npm start` only: where the embedded Temporal Web UI and mail catcher listen. */
  TEMPORAL_UI_PORT: port.default(8233),
  MAIL_WEB_PORT: port.default(1080),
  /** HS256 key of the API's tokens (`npm run token`): at least 32 characters. */
  JWT_SECRET: z.string().min(32, 'au moins 32 caractères').default(DEV_JWT_SECRET),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema> & { DATABASE_URL: string };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  return { ...config, DATABASE_URL: config.DATABASE_URL ?? `pglite:${path.join(config.PASSPRO_DATA_DIR, 'pglite')}` };
}
