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

/**
 * Passpro's secret at the embedded development identity provider (platform/identity-provider.ts): public, like
 * DEV_JWT_SECRET, so any deployment registers its own client at its SSO (docker-compose.yml requires it).
 */
export const DEV_OIDC_CLIENT_SECRET = 'passpro-dev-oidc-secret-public-NOT-FOR-PRODUCTION';

/** The embedded development identity provider's issuer at `port` (its default, OIDC_DEV_PORT). */
export const devIssuer = (port: number) => `http://127.0.0.1:${port}`;

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
  /** The staff's sign-in (OpenID Connect): the embedded development provider unless another issuer is named. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).default('passpro'),
  OIDC_CLIENT_SECRET: z.string().min(16, 'au moins 16 caractères').default(DEV_OIDC_CLIENT_SECRET),
  /** Where the provider sends the browser back: `$PUBLIC_URL/connexion/retour` by default. */
  OIDC_REDIRECT_URI: z.url().optional(),
  /** Where the provider sends the browser after sign-out: `$PUBLIC_URL/deconnexion/terminee` by default. */
  OIDC_POST_LOGOUT_REDIRECT_URI: z.url().optional(),
  OIDC_SCOPES: z.string().regex(/(^|\s)openid(\s|$)/, "la liste doit contenir openid").default('openid profile email'),
  /** The claims (ID token or userinfo) that give the person's name, school (UAI) and function. */
  OIDC_CLAIM_NOM: z.string().min(1).default('name'),
  OIDC_CLAIM_UAI: z.string().min(1).default('uai'),
  OIDC_CLAIM_FONCTION: z.string().min(1).default('fonction'),
  /** `npm start` only: where the embedded development identity provider listens (127.0.0.1). */
  OIDC_DEV_PORT: port.default(3001),
  /** A session unused this long ends; any session ends this long after its sign-in. */
  SESSION_INACTIVITE_MINUTES: z.coerce.number().int().min(1).default(30),
  SESSION_DUREE_MAX_MINUTES: z.coerce.number().int().min(1).default(600),
  /** The session cookie's `Secure` flag: by default when PUBLIC_URL is https or NODE_ENV is production. */
  SESSION_COOKIE_SECURE: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

type Derivees = 'DATABASE_URL' | 'OIDC_ISSUER' | 'OIDC_REDIRECT_URI' | 'OIDC_POST_LOGOUT_REDIRECT_URI' | 'SESSION_COOKIE_SECURE';
export type Config = Omit<z.infer<typeof configSchema>, Derivees> & {
  DATABASE_URL: string;
  OIDC_ISSUER: string;
  OIDC_REDIRECT_URI: string;
  OIDC_POST_LOGOUT_REDIRECT_URI: string;
  SESSION_COOKIE_SECURE: boolean;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  const publicUrl = config.PUBLIC_URL.replace(/\/+$/, '');
  return {
    ...config,
    DATABASE_URL: config.DATABASE_URL ?? `pglite:${path.join(config.PASSPRO_DATA_DIR, 'pglite')}`,
    OIDC_ISSUER: config.OIDC_ISSUER ?? devIssuer(config.OIDC_DEV_PORT),
    OIDC_REDIRECT_URI: config.OIDC_REDIRECT_URI ?? `${publicUrl}/connexion/retour`,
    OIDC_POST_LOGOUT_REDIRECT_URI: config.OIDC_POST_LOGOUT_REDIRECT_URI ?? `${publicUrl}/deconnexion/terminee`,
    SESSION_COOKIE_SECURE: config.SESSION_COOKIE_SECURE ?? (publicUrl.startsWith('https:') || env.NODE_ENV === 'production'),
  };
}
