// Revocation of API tokens by their id (jti), for the SAIO: a lost or leaked token stops working before its
// expiry, without rotating JWT_SECRET (which would sign everyone out). `npm run token` prints each token's id.
import type { Express } from 'express';
import { z } from 'zod';
import type { Database } from '../platform/database';
import { appelant, exigerRoles, type Authentification, type Revocations } from './auth';
import { body } from './validation';

export const revocationSchema = z.strictObject({
  jti: z.uuid("identifiant de jeton attendu (jti, un UUID : `npm run token` l'affiche)"),
  motif: z.string().trim().min(1).max(200).optional(),
});

export const revocationReponseSchema = z.object({ jti: z.string(), revoqueLe: z.iso.datetime(), par: z.string(), motif: z.string().nullable() });

/** The table read by the authentication: one primary-key lookup, prepared once per connection. */
export function revocationsEnBase(db: Database): Revocations {
  return {
    estRevoque: async (jti) => (await db.preparee<{ jti: string }>('jeton_revoque', 'SELECT jti FROM "JetonRevoque" WHERE jti = $1', [jti])).length > 0,
  };
}

/**
 * `POST /jetons/revocations` (SAIO, authenticated by the app as every path under /jetons): 201 once recorded,
 * 200 when it already was (the first record stays).
 */
export function routesJetons(app: Express, deps: { db: Database; authentification: Authentification }): void {
  app.post(
    '/jetons/revocations',
    exigerRoles(['saio']),
    body(revocationSchema),
    async (req, res) => {
      const { jti, motif } = req.body as z.infer<typeof revocationSchema>;
      const existant = await deps.db.prisma.jetonRevoque.findUnique({ where: { jti } });
      const ligne = existant ?? (await deps.db.prisma.jetonRevoque.upsert({ where: { jti }, update: {}, create: { jti, par: appelant(req).nom, motif: motif ?? null } }));
      deps.authentification.oublier(jti);
      res.status(existant ? 200 : 201).json({ ...ligne, revoqueLe: ligne.revoqueLe.toISOString() });
    },
  );
}
