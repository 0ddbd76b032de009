// Abuse limits: requests per minute per IP address and per person, imports per hour per school. Counters are
// kept in the memory of each API process (express-rate-limit's own store): docker-compose runs one, and
// several processes would each allow the limit, a bound that still holds per process.
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import { appelant } from './auth';
import { ApiError } from './errors';

export interface Limites {
  /** Requests per minute from one IP address (config LIMITE_REQUETES_IP); 0: none. */
  requetesParIp: number;
  /** Requests per minute from one person, by token (LIMITE_REQUETES_PERSONNE); 0: none. */
  requetesParPersonne: number;
  /** Class list imports per hour and per school (LIMITE_IMPORTS_HEURE); 0: none. */
  importsParHeure: number;
  /** Proxies in front of the API (API_PROXIES): the caller's IP is read past them in X-Forwarded-For. */
  proxies: number;
}

interface Regle {
  limite: number;
  fenetreMs: number;
  cle: (req: Parameters<RequestHandler>[0]) => string;
  message: string;
}

const minute = 60_000;

/**
 * Per IP: the académie's schools may reach the API through a few shared proxies, so the bound is high; it
 * stops a script, not a school. IPv6 addresses count by /56, as one household or site holds a whole prefix.
 */
export const parIp = (limite: number): Regle => ({
  limite,
  fenetreMs: minute,
  cle: (req) => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'inconnue'),
  message: 'trop de requêtes depuis cette adresse : réessayez dans une minute',
});

/** Per person: the token's subject, role and school (one person, one count, whatever the IP). */
export const parPersonne = (limite: number): Regle => ({
  limite,
  fenetreMs: minute,
  cle: (req) => {
    const qui = appelant(req);
    return `${qui.role}\n${qui.uai ?? ''}\n${qui.nom}`;
  },
  message: 'trop de requêtes pour ce compte : réessayez dans une minute',
});

/** Imports per school: a class list is imported a few times a year, re-sent a few times when corrected. */
export const importsParEtablissement = (limite: number): Regle => ({
  limite,
  fenetreMs: 60 * minute,
  cle: (req) => appelant(req).uai ?? 'saio',
  message: `trop d'imports pour cet établissement : au plus ${limite} par heure, réessayez plus tard`,
});

/** The rule as middleware: beyond it, 429 `trop_de_requetes` in the API's error shape, with Retry-After. */
export function limiteur(regle: Regle): RequestHandler {
  if (regle.limite <= 0) return (_req, _res, next) => next();
  const options: Partial<Options> = {
    windowMs: regle.fenetreMs,
    limit: regle.limite,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: regle.cle,
    handler: (_req, _res, next) => next(new ApiError(429, 'trop_de_requetes', regle.message)),
  };
  return rateLimit(options);
}
