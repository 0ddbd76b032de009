// Configuration from environment variables, validated once at start: a wrong or missing value stops the
// program with a message naming the variable. Every variable is documented in README.md.
import path from 'node:path';
import { z } from 'zod';
import { lireClesCodec, type ClesCodec } from './codec';
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

/**
 * The key of the candidatures' pseudonymous workflow ids (platform/identifiants-candidature.ts) on the embedded
 * stack: public, so a production start refuses it.
 */
export const DEV_ID_KEY = 'passpro-dev-identifiants-public-NOT-FOR-PRODUCTION';

/**
 * The payload codec's key of the embedded stack (`npm start`, tests), `id:base64` as PASSPRO_CODEC_KEYS takes it:
 * public like DEV_JWT_SECRET, so a production start refuses it.
 */
export const DEV_CODEC_KEYS = 'dev:GrTuQlWp/Yl8t5pWAhcufR/XJzit2StTmxkM03bILoY=';

/** The embedded development identity provider's issuer at `port` (its default, OIDC_DEV_PORT). */
export const devIssuer = (port: number) => `http://127.0.0.1:${port}`;

const entier = z.coerce.number().int().min(0);
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
  /** The candidatures the worker keeps in its cache; `reglagesWorker`'s (worker/index.ts, with what one costs) unset. */
  WORKER_CACHE: entier.max(100_000).optional(),
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
  /**
   * Where the SAIO reaches the Temporal UI (the dashboard's links, and the only origin the codec endpoint answers
   * from a browser); `npm start`'s own by default, on `localhost`: the same site as PUBLIC_URL's, so that the
   * UI's calls to the codec endpoint carry the SAIO's session cookie.
   */
  TEMPORAL_UI_URL: z.url().optional(),
  /** HS256 key of the API's tokens (`npm run token`): at least 32 characters, 32 bytes of entropy outside the embedded stack. */
  JWT_SECRET: z.string().min(32, 'au moins 32 caractères').default(DEV_JWT_SECRET),
  /**
   * HMAC key of the candidatures' workflow ids (the pupil's pseudonym): 32 bytes of entropy outside the embedded
   * stack. Never changed once candidatures exist: another key gives every pupil another id.
   */
  PASSPRO_ID_KEY: z.string().min(32, 'au moins 32 caractères').default(DEV_ID_KEY),
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
  /** Set by the Docker image: with PASSPRO_ROLE=api or worker, what makes a start a production one. */
  NODE_ENV: z.string().optional(),
  /** Temporal's TLS: PEM files. A client certificate and its key (mTLS, self-hosted or Temporal Cloud), or an API key. */
  TEMPORAL_TLS_CA: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  /** The name the frontend's certificate carries, when it is not the host of TEMPORAL_ADDRESS. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** Temporal Cloud's API key (TLS without a client certificate). */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /**
   * The keys of the payload codec (platform/codec.ts), `id:base64,id:base64`: the one named by
   * PASSPRO_CODEC_KEY_ID encrypts, the others (older ones) decrypt only. Required on a production start.
   */
  PASSPRO_CODEC_KEYS: z.string().optional(),
  /** Empty counts as unset (docker-compose passes `${PASSPRO_CODEC_KEY_ID:-}`). */
  PASSPRO_CODEC_KEY_ID: z.string().optional().transform((id) => id || undefined),
  /**
   * Requests per minute and per IP address, and per person (token), answered 429 beyond; class list imports per
   * hour and per school. 0: no limit. Unset: the production defaults (`limitesDeProduction`) on a production start,
   * none on the embedded stack (the demo plays a whole académie's staff from one address).
   */
  LIMITE_REQUETES_IP: entier.optional(),
  LIMITE_REQUETES_PERSONNE: entier.optional(),
  LIMITE_IMPORTS_HEURE: entier.optional(),
  /** Proxies in front of the API whose X-Forwarded-For is believed (Express `trust proxy`): the caller's IP. */
  API_PROXIES: entier.default(0),
});

type Derivees = 'TEMPORAL_UI_URL' | 'DATABASE_URL' | 'OIDC_ISSUER' | 'OIDC_REDIRECT_URI' | 'OIDC_POST_LOGOUT_REDIRECT_URI' | 'SESSION_COOKIE_SECURE' | 'PASSPRO_CODEC_KEYS' | 'PASSPRO_CODEC_KEY_ID';
type Limites = 'LIMITE_REQUETES_IP' | 'LIMITE_REQUETES_PERSONNE' | 'LIMITE_IMPORTS_HEURE';
export type Config = Omit<z.infer<typeof configSchema>, Derivees | Limites> & {
  DATABASE_URL: string;
  TEMPORAL_UI_URL: string;
  OIDC_ISSUER: string;
  OIDC_REDIRECT_URI: string;
  OIDC_POST_LOGOUT_REDIRECT_URI: string;
  SESSION_COOKIE_SECURE: boolean;
  /** PASSPRO_CODEC_KEYS and PASSPRO_CODEC_KEY_ID, read. */
  CODEC: ClesCodec;
} & Record<Limites, number>;

/**
 * Per IP high (schools reach the API through a few shared académie proxies: it stops a script, not a school),
 * per person what a busy member of staff never reaches, a class list re-sent a few times an hour.
 */
export const limitesDeProduction: Record<Limites, number> = { LIMITE_REQUETES_IP: 1200, LIMITE_REQUETES_PERSONNE: 300, LIMITE_IMPORTS_HEURE: 20 };

export class ConfigError extends Error {}

/**
 * A production start: the Docker image (NODE_ENV=production) or a role of the deployment (api, worker). The
 * embedded stack (`npm start`, tests) runs as `all` outside production and may use the development secret.
 */
export const estProduction = (config: Pick<Config, 'NODE_ENV' | 'PASSPRO_ROLE'>) => config.NODE_ENV === 'production' || config.PASSPRO_ROLE !== 'all';

/**
 * Bytes of entropy a secret holds, estimated by its form: hexadecimal, 4 bits a character; the base64
 * alphabet (openssl rand -base64), 6 bits a character; anything else, log2 of the character classes it uses
 * (lower case, upper case, digits, others) a character. A secret of few distinct characters (`aaaa…`) holds none.
 */
export function octetsDEntropie(secret: string): number {
  const distincts = new Set(secret).size;
  if (/^[0-9a-f]+$/i.test(secret)) return distincts >= 8 ? (secret.length * 4) / 8 : 0;
  if (distincts < 12) return 0;
  const sansRemplissage = secret.replace(/={1,2}$/, '');
  if (/^[A-Za-z0-9+/_-]+$/.test(sansRemplissage)) return (sansRemplissage.length * 6) / 8;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];
  const alphabet = [26, 26, 10, 33].reduce((n, taille, i) => (classes[i].test(secret) ? n + taille : n), 0);
  return (secret.length * Math.log2(alphabet)) / 8;
}

export const OCTETS_SECRET_MIN = 32;

/** The secrets a production start checks, each with its public development value: one entry per secret. */
const secretsDeProduction: { variable: 'JWT_SECRET' | 'PASSPRO_ID_KEY'; developpement: string }[] = [
  { variable: 'JWT_SECRET', developpement: DEV_JWT_SECRET },
  { variable: 'PASSPRO_ID_KEY', developpement: DEV_ID_KEY },
];

function verifierSecrets(config: Config): string[] {
  if (!estProduction(config)) return [];
  return secretsDeProduction.flatMap(({ variable, developpement }) => {
    const secret = config[variable];
    if (secret === developpement) return [`${variable}: le secret de développement est public : donnez un secret propre au déploiement (openssl rand -base64 48)`];
    const octets = octetsDEntropie(secret);
    if (octets < OCTETS_SECRET_MIN) {
      return [`${variable}: environ ${Math.floor(octets)} octets d'entropie, au moins ${OCTETS_SECRET_MIN} attendus (openssl rand -base64 48)`];
    }
    return [];
  });
}

/**
 * The pages' sign-in of a production API: an issuer named (the development provider runs with `npm start`
 * only) and a client secret of the deployment's own, never the public development one.
 */
function verifierConnexion(config: Config, issuerNomme: boolean): string[] {
  if (!estProduction(config) || config.PASSPRO_ROLE === 'worker') return [];
  return [
    ...(issuerNomme ? [] : ["OIDC_ISSUER: requis hors de la pile embarquée : l'émetteur du SSO de l'académie (voir « Sign-in of the pages »)"]),
    ...(config.OIDC_CLIENT_SECRET === DEV_OIDC_CLIENT_SECRET ? ['OIDC_CLIENT_SECRET: le secret de développement est public : donnez celui que le SSO a attribué à Passpro'] : []),
  ];
}

/** The codec's keys, read; a production start needs its own, never the public development key. */
function lireCodec(lu: { PASSPRO_CODEC_KEYS?: string; PASSPRO_CODEC_KEY_ID?: string }, production: boolean): ClesCodec | { refus: string[] } {
  if (lu.PASSPRO_CODEC_KEYS === undefined) {
    if (production) return { refus: ['PASSPRO_CODEC_KEYS: requis hors de la pile embarquée : les données des élèves sont chiffrées dans Temporal (id:$(openssl rand -base64 32))'] };
    return lireClesCodec(DEV_CODEC_KEYS, undefined);
  }
  const cles = lireClesCodec(lu.PASSPRO_CODEC_KEYS, lu.PASSPRO_CODEC_KEY_ID);
  const dev = Buffer.from(DEV_CODEC_KEYS.slice(DEV_CODEC_KEYS.indexOf(':') + 1), 'base64');
  if (production && 'cles' in cles && [...cles.cles.values()].some((cle) => cle.equals(dev))) {
    return { refus: ['PASSPRO_CODEC_KEYS: la clé de développement est publique : donnez une clé propre au déploiement (openssl rand -base64 32)'] };
  }
  return cles;
}

function verifierTlsTemporal(config: Config): string[] {
  if (Boolean(config.TEMPORAL_TLS_CERT) === Boolean(config.TEMPORAL_TLS_KEY)) return [];
  return [config.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY: requis avec TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_CERT: requis avec TEMPORAL_TLS_KEY'];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  const echec = (lines: string[]) => new ConfigError(`invalid configuration:\n${lines.map((line) => `  ${line}`).join('\n')}`);
  if (!parsed.success) throw echec(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const lu = parsed.data;
  const production = estProduction(lu);
  const limites = Object.fromEntries(
    Object.entries(limitesDeProduction).map(([cle, defaut]) => [cle, lu[cle as Limites] ?? (production ? defaut : 0)]),
  ) as Record<Limites, number>;
  const publicUrl = lu.PUBLIC_URL.replace(/\/+$/, '');
  const { PASSPRO_CODEC_KEYS: _cles, PASSPRO_CODEC_KEY_ID: _courante, ...valeurs } = lu;
  const codec = lireCodec(lu, production);
  const config: Config = {
    ...valeurs,
    ...limites,
    DATABASE_URL: lu.DATABASE_URL ?? `pglite:${path.join(lu.PASSPRO_DATA_DIR, 'pglite')}`,
    TEMPORAL_UI_URL: (lu.TEMPORAL_UI_URL ?? `http://localhost:${lu.TEMPORAL_UI_PORT}`).replace(/\/+$/, ''),
    OIDC_ISSUER: lu.OIDC_ISSUER ?? devIssuer(lu.OIDC_DEV_PORT),
    OIDC_REDIRECT_URI: lu.OIDC_REDIRECT_URI ?? `${publicUrl}/connexion/retour`,
    OIDC_POST_LOGOUT_REDIRECT_URI: lu.OIDC_POST_LOGOUT_REDIRECT_URI ?? `${publicUrl}/deconnexion/terminee`,
    SESSION_COOKIE_SECURE: lu.SESSION_COOKIE_SECURE ?? (publicUrl.startsWith('https:') || env.NODE_ENV === 'production'),
    CODEC: 'refus' in codec ? { courante: '', cles: new Map() } : codec,
  };
  const refus = [...verifierSecrets(config), ...verifierConnexion(config, lu.OIDC_ISSUER !== undefined), ...('refus' in codec ? codec.refus : []), ...verifierTlsTemporal(config)];
  if (refus.length > 0) throw echec(refus);
  return config;
}
