// Who calls: a signed token (JWT, HS256, issuer `passpro`) names the person (sub), their role and their
// school (UAI; none for the SAIO). The API takes the acteur of every action from it, never from the body,
// and scopes every read and action to the caller's school before the workflow is asked (whose validators
// check the role again).
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { RequestHandler } from 'express';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Acteur, Role } from '../workflows/definitions';
import { ApiError } from './errors';
import { texte, uai } from './schemas';

export const ISSUER = 'passpro';

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

/** Issues a token (`npm run token`, tests). `duree`: a jose duration such as '8h' or '30 days'. */
export async function emettreJeton(
  secret: string,
  { role, uai: uaiAppelant, nom }: { role: RolePersonne; uai: string | null; nom: string },
  duree: string | number = '8h',
): Promise<string> {
  const claims = jetonClaimsSchema.parse({ sub: nom, role, uai: uaiAppelant });
  return new SignJWT({ role: claims.role, uai: claims.uai ?? null })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(duree)
    .sign(cle(secret));
}

const nonAuthentifie = (message: string) => new ApiError(401, 'non_authentifie', message);

/** Verifies the bearer token; 401 `non_authentifie` when it is missing, malformed, forged or expired. */
async function verifierJeton(cleSecrete: KeyObject, jeton: string): Promise<{ appelant: Appelant; expireLe: number }> {
  let payload: { exp?: number };
  try {
    ({ payload } = await jwtVerify(jeton, cleSecrete, { issuer: ISSUER, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw nonAuthentifie('jeton expiré : demandez-en un nouveau');
    throw nonAuthentifie('jeton invalide');
  }
  const claims = jetonClaimsSchema.safeParse(payload);
  if (!claims.success) throw nonAuthentifie(`jeton invalide : ${claims.error.issues[0].message}`);
  return { appelant: { role: claims.data.role, uai: claims.data.uai ?? null, nom: claims.data.sub }, expireLe: payload.exp! * 1000 };
}

/** Tokens kept once verified: a bound on the memory, emptied when reached. */
const JETONS_EN_CACHE = 10_000;

export function authentifier(secret: string): RequestHandler {
  const cleSecrete = createSecretKey(cle(secret));
  // Staff send the same token with every request, and verifying it (signature, claims) cost more than the
  // read it guards: a token verified once is taken as it is until it expires. Its text is what was signed.
  const verifies = new Map<string, { appelant: Appelant; expireLe: number }>();
  async function verifier(jeton: string): Promise<Appelant> {
    const connu = verifies.get(jeton);
    if (connu && Date.now() < connu.expireLe) return connu.appelant;
    verifies.delete(jeton);
    const verifie = await verifierJeton(cleSecrete, jeton);
    if (verifies.size >= JETONS_EN_CACHE) verifies.clear();
    verifies.set(jeton, verifie);
    return verifie.appelant;
  }
  return (req, res, next) => {
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
        res.set('WWW-Authenticate', 'Bearer realm="passpro", error="invalid_token"');
        next(error);
      },
    );
  };
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

const origine: Role[] = ['origine_personnel', 'origine_chef'];
const accueil: Role[] = ['accueil_personnel', 'accueil_chef'];

/** Who may take each action: the API's table, the same as the workflow validators'. */
export const rolesParAction = {
  inscription: origine,
  'avis-origine': ['origine_chef'],
  entretien: [...accueil, 'saio'],
  'constat-entretien': accueil,
  'compte-rendu': ['accueil_chef'],
  'confirmation-famille': origine,
  'saisie-affelnet': ['origine_chef'],
  desistement: [...origine, 'saio'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof rolesParAction;
