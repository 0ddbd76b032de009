// Server-side sessions (table Session) and the sign-ins under way (table Connexion). A cookie holds a random
// token; the tables hold its SHA-256 only. A session ends when unused for the idle delay or at its absolute
// limit, whichever comes first; an ended one is deleted when met.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client';
import { rolesPersonnes, type Appelant, type RolePersonne } from '../auth';

export interface ReglagesSession {
  inactiviteMs: number;
  dureeMaxMs: number;
  /** `Secure` cookies (and the `__Host-` prefix, which requires it) outside the embedded default. */
  cookieSecure: boolean;
}

/** How long a sign-in may take at the provider. */
export const DUREE_CONNEXION_MS = 10 * 60_000;
/** The last-seen time is written at most this often: not one write per page. */
const PRECISION_VU_MS = 60_000;

export const jetonAleatoire = () => randomBytes(32).toString('base64url');
const empreinte = (jeton: string) => createHash('sha256').update(jeton).digest('hex');

/** Constant-time comparison of two strings of any length (their hashes are compared). */
export function egauxEnTempsConstant(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export const nomsCookies = (reglages: ReglagesSession) => ({
  session: reglages.cookieSecure ? '__Host-passpro_session' : 'passpro_session',
  connexion: reglages.cookieSecure ? '__Host-passpro_connexion' : 'passpro_connexion',
});

export function lireCookie(req: Request, nom: string): string | undefined {
  for (const morceau of (req.get('cookie') ?? '').split(';')) {
    const egal = morceau.indexOf('=');
    if (egal > 0 && morceau.slice(0, egal).trim() === nom) return morceau.slice(egal + 1).trim();
  }
  return undefined;
}

export function poserCookie(res: Response, reglages: ReglagesSession, nom: string, valeur: string, maxAgeMs?: number): void {
  res.cookie(nom, valeur, { httpOnly: true, sameSite: 'lax', secure: reglages.cookieSecure, path: '/', maxAge: maxAgeMs });
}

export function effacerCookie(res: Response, reglages: ReglagesSession, nom: string): void {
  res.clearCookie(nom, { httpOnly: true, sameSite: 'lax', secure: reglages.cookieSecure, path: '/' });
}

export interface SessionOuverte {
  appelant: Appelant;
  sub: string;
  idToken: string;
  csrf: string;
}

/** Opens a session; returns the cookie's token. Sessions already ended are swept on the way. */
export async function createSession(prisma: PrismaClient, reglages: ReglagesSession, session: Omit<SessionOuverte, 'csrf'>): Promise<string> {
  const maintenant = Date.now();
  await prisma.session.deleteMany({
    where: { OR: [{ lastSeenAt: { lt: new Date(maintenant - reglages.inactiviteMs) } }, { createdAt: { lt: new Date(maintenant - reglages.dureeMaxMs) } }] },
  });
  const jeton = jetonAleatoire();
  await prisma.session.create({
    data: {
      id: empreinte(jeton),
      sub: session.sub,
      nom: session.appelant.nom,
      role: session.appelant.role,
      uai: session.appelant.uai,
      idToken: session.idToken,
      csrf: jetonAleatoire(),
    },
  });
  return jeton;
}

export type LectureSession = { session: SessionOuverte; id: string } | { absente: true } | { expiree: true };

/** The session of a cookie's token: absent, ended (then deleted), or open (its last-seen time moved on). */
export async function readSession(prisma: PrismaClient, reglages: ReglagesSession, jeton: string | undefined): Promise<LectureSession> {
  if (!jeton) return { absente: true };
  const id = empreinte(jeton);
  const ligne = await prisma.session.findUnique({ where: { id } });
  if (!ligne || !(rolesPersonnes as readonly string[]).includes(ligne.role)) return { absente: true };
  const maintenant = Date.now();
  if (maintenant - ligne.lastSeenAt.getTime() > reglages.inactiviteMs || maintenant - ligne.createdAt.getTime() > reglages.dureeMaxMs) {
    await prisma.session.deleteMany({ where: { id } });
    return { expiree: true };
  }
  if (maintenant - ligne.lastSeenAt.getTime() > PRECISION_VU_MS) {
    await prisma.session.updateMany({ where: { id }, data: { lastSeenAt: new Date(maintenant) } });
  }
  return {
    id,
    session: {
      appelant: { role: ligne.role as RolePersonne, uai: ligne.uai, nom: ligne.nom },
      sub: ligne.sub,
      idToken: ligne.idToken,
      csrf: ligne.csrf,
    },
  };
}

export async function deleteSession(prisma: PrismaClient, id: string): Promise<void> {
  await prisma.session.deleteMany({ where: { id } });
}

export interface ConnexionEnCours {
  state: string;
  nonce: string;
  codeVerifier: string;
  retour: string;
}

/** Records a sign-in under way; returns the cookie's token. Sign-ins older than their delay are swept. */
export async function createConnexion(prisma: PrismaClient, connexion: ConnexionEnCours): Promise<string> {
  await prisma.connexion.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - DUREE_CONNEXION_MS) } } });
  const jeton = jetonAleatoire();
  await prisma.connexion.create({ data: { id: empreinte(jeton), ...connexion } });
  return jeton;
}

/**
 * Takes the sign-in of a cookie's token, once: the row is deleted as it is read, so that a callback replayed
 * (or raced) finds nothing. Undefined when absent or too old.
 */
export async function takeConnexion(prisma: PrismaClient, jeton: string | undefined): Promise<ConnexionEnCours | undefined> {
  if (!jeton) return undefined;
  const [ligne] = await prisma.$queryRaw<(ConnexionEnCours & { createdAt: Date })[]>`
    DELETE FROM "Connexion" WHERE id = ${empreinte(jeton)} RETURNING state, nonce, "codeVerifier", retour, "createdAt"`;
  if (!ligne || Date.now() - ligne.createdAt.getTime() > DUREE_CONNEXION_MS) return undefined;
  return { state: ligne.state, nonce: ligne.nonce, codeVerifier: ligne.codeVerifier, retour: ligne.retour };
}
