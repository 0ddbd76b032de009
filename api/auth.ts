// Who calls: a signed token (JWT, HS256, issuer `passpro`, audience `passpro-api`, at most 12 hours between its
// issue and its expiry, an id that can be revoked) names the person (sub), their role and their school (UAI;
// none for the SAIO). The API takes the acteur of every action from it, never from the body,
// and scopes every read and action to the caller's school before the workflow is asked (whose validators
// check the role again).
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import type { RequestHandler } from 'express';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Acteur, Role } from '../domain/candidature';
import { ApiError } from './errors';
import { texte, uai } from './schemas';

export const ISSUER = 'passpro';
export const AUDIENCE = 'passpro-api';
/** The longest a token lives (exp − iat): a lost token is worth a working day at most. */
export const DUREE_MAX_JETON_S = 12 * 3600;

/** The roles a person can hold (`systeme` is Passpro itself, never a caller). */
export const rolesPersonnes = ['origine_personnel', 'origine_chef', 'accueil_personnel', 'accueil_chef', 'saio'] as const;
export type RolePersonne = (typeof rolesPersonnes)[number];

/** What a token carries once verified: a school for everyone but the SAIO, and no school for the SAIO. */
export const jetonClaimsSchema = z
  .object({
    sub: texte(120),
    role: z.enum(rolesPersonnes),
    uai: uai.nullable().optional(),
  })
  .refine((c) => (c.role === 'saio' ? c.uai == null : c.uai != null), {
    message: 'le SAIO n\'a pas d\'UAI ; tout autre rôle en a une',
    path: ['uai'],
  });

export interface Appelant extends Acteur {
  role: RolePersonne;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `authentifier`: who calls, as recorded with their actions. */
    appelant?: Appelant;
  }
}

const cle = (secret: string) => new TextEncoder().encode(secret);

/** A jose duration ('30m', '8h') or seconds, as seconds. */
function secondes(duree: string | number): number {
  if (typeof duree === 'number') return duree;
  const match = /^(\d+)\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)$/.exec(duree.trim());
  if (!match) throw new Error(`durée « ${duree} » : attendu par exemple 30m, 8h`);
  const unite = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[match[2][0] as 's' | 'm' | 'h' | 'd' | 'w'];
  return Number(match[1]) * unite;
}

/** Issues a token (`npm run token`, tests) with a new id. `duree`: '30m', '8h'… or seconds, 12 hours at most. */
export async function emettreJeton(
  secret: string,
  { role, uai: uaiAppelant, nom }: { role: RolePersonne; uai: string | null; nom: string },
  duree: string | number = '8h',
): Promise<string> {
  const claims = jetonClaimsSchema.parse({ sub: nom, role, uai: uaiAppelant });
  const vie = secondes(duree);
  if (vie <= 0 || vie > DUREE_MAX_JETON_S) throw new Error(`durée « ${duree} » : au plus ${DUREE_MAX_JETON_S / 3600} heures`);
  const maintenant = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: claims.role, uai: claims.uai ?? null })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setJti(randomUUID())
    .setIssuedAt(maintenant)
    .setExpirationTime(maintenant + vie)
    .sign(cle(secret));
}

export const nonAuthentifie = (message: string) => new ApiError(401, 'non_authentifie', message);

interface JetonVerifie {
  appelant: Appelant;
  jti: string;
  expireLe: number;
  /** When the revocations were last read for it. */
  revocationLueLe: number;
}

/** Verifies the bearer token; 401 `non_authentifie` when it is missing, malformed, forged, expired or too long-lived. */
async function verifierJeton(cleSecrete: KeyObject, jeton: string): Promise<Omit<JetonVerifie, 'revocationLueLe'>> {
  let payload: { exp?: number; iat?: number; jti?: string };
  try {
    ({ payload } = await jwtVerify(jeton, cleSecrete, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      maxTokenAge: DUREE_MAX_JETON_S,
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw nonAuthentifie('jeton expiré : demandez-en un nouveau');
    throw nonAuthentifie('jeton invalide');
  }
  if (payload.exp! - payload.iat! > DUREE_MAX_JETON_S) throw nonAuthentifie(`jeton invalide : durée de vie de plus de ${DUREE_MAX_JETON_S / 3600} heures`);
  const claims = jetonClaimsSchema.safeParse(payload);
  if (!claims.success) throw nonAuthentifie(`jeton invalide : ${claims.error.issues[0].message}`);
  return { appelant: { role: claims.data.role, uai: claims.data.uai ?? null, nom: claims.data.sub }, jti: payload.jti!, expireLe: payload.exp! * 1000 };
}

/** Tokens kept once verified: a bound on the memory, emptied when reached. */
const JETONS_EN_CACHE = 10_000;
/** How long a token's "not revoked" stands before the revocations are read again (other API processes). */
export const REVOCATION_RELUE_MS = 5_000;

/** The revocation table as the API reads it (api/jetons.ts). */
export interface Revocations {
  estRevoque(jti: string): Promise<boolean>;
}

export interface Authentification {
  middleware: RequestHandler;
  /** Forgets the verified tokens of this id: a revocation recorded by this process takes effect at once. */
  oublier(jti: string): void;
}

export function authentifier(secret: string, revocations: Revocations): Authentification {
  const cleSecrete = createSecretKey(cle(secret));
  // Staff send the same token with every request, and verifying it (signature, claims) cost more than the
  // read it guards: a token verified once is taken as it is until it expires, its revocation read again
  // every few seconds (one indexed row). Its text is what was signed.
  const verifies = new Map<string, JetonVerifie>();
  async function verifier(jeton: string): Promise<Appelant> {
    const maintenant = Date.now();
    let connu = verifies.get(jeton);
    if (connu && maintenant >= connu.expireLe) {
      verifies.delete(jeton);
      connu = undefined;
    }
    if (!connu) {
      connu = { ...(await verifierJeton(cleSecrete, jeton)), revocationLueLe: 0 };
      if (verifies.size >= JETONS_EN_CACHE) verifies.clear();
      verifies.set(jeton, connu);
    }
    if (maintenant - connu.revocationLueLe >= REVOCATION_RELUE_MS) {
      if (await revocations.estRevoque(connu.jti)) {
        verifies.delete(jeton);
        throw nonAuthentifie('jeton révoqué : demandez-en un nouveau');
      }
      connu.revocationLueLe = maintenant;
    }
    return connu.appelant;
  }
  const oublier = (jti: string) => {
    for (const [jeton, verifie] of verifies) if (verifie.jti === jti) verifies.delete(jeton);
  };
  const middleware: RequestHandler = (req, res, next) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer\s+([\w.~+/=-]+)\s*$/i.exec(header) : null;
    if (!match) {
      res.set('WWW-Authenticate', 'Bearer realm="passpro"');
      next(nonAuthentifie(header ? 'en-tête Authorization attendu : Bearer <jeton>' : 'authentification requise (en-tête Authorization: Bearer <jeton>)'));
      return;
    }
    verifier(match[1]).then(
      (appelant) => {
        req.appelant = appelant;
        next();
      },
      (error: unknown) => {
        if (error instanceof ApiError) res.set('WWW-Authenticate', 'Bearer realm="passpro", error="invalid_token"');
        next(error);
      },
    );
  };
  return { middleware, oublier };
}

export function appelant(req: { appelant?: Appelant }): Appelant {
  if (!req.appelant) throw nonAuthentifie('authentification requise');
  return req.appelant;
}

/** 403 unless the caller's role is one of `roles`: checked before anything is looked up. */
export function exigerRoles(roles: readonly Role[]): RequestHandler {
  return (req, _res, next) => {
    const qui = appelant(req);
    if (!roles.includes(qui.role)) {
      next(new ApiError(403, 'acces_refuse', `action réservée à : ${roles.join(', ')}`));
      return;
    }
    next();
  };
}

/**
 * What a caller may see: a collège its own pupils, a lycée the candidatures it receives, the SAIO all.
 * Someone else's candidature answers 404, exactly as an unknown one: its existence is not disclosed.
 */
export function peutVoir(qui: Appelant, candidature: { uaiOrigine: string; uaiAccueil: string }): boolean {
  switch (qui.role) {
    case 'saio':
      return true;
    case 'origine_personnel':
    case 'origine_chef':
      return candidature.uaiOrigine === qui.uai;
    case 'accueil_personnel':
    case 'accueil_chef':
      return candidature.uaiAccueil === qui.uai;
  }
}

/** The same scope as a database filter, for lists. */
export function filtrePerimetre(qui: Appelant): { uaiOrigine?: string; uaiAccueil?: string } {
  if (qui.role === 'origine_personnel' || qui.role === 'origine_chef') return { uaiOrigine: qui.uai! };
  if (qui.role === 'accueil_personnel' || qui.role === 'accueil_chef') return { uaiAccueil: qui.uai! };
  return {};
}
