// The codec endpoint: Temporal's remote codec protocol (`POST /codec/decode`, `POST /codec/encode`, JSON
// `{ payloads: [{ metadata: { <clé>: <base64> }, data: <base64> }] }`, header `X-Namespace`), so that the SAIO's
// Temporal UI (and the CLI, `--codec-endpoint`) shows the payloads that Passpro encrypts (platform/codec.ts).
// Decrypted, they are every pupil's data: for the SAIO only, signed in at Passpro (the session cookie, which the
// UI sends with TEMPORAL_CODEC_INCLUDE_CREDENTIALS) or with a Passpro token (`Authorization: Bearer`).
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import type { PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { ErreurCodec } from '../platform/codec';
import { exigerRoles, nonAuthentifie, type Appelant, type Authentification } from './auth';
import { ApiError } from './errors';
import { parse } from './validation';

export interface CodecDeps {
  codec: PayloadCodec;
  /** The namespace whose payloads this codec's keys encrypt (config TEMPORAL_NAMESPACE). */
  namespace: string;
  /** The origins allowed to call from a browser (CORS): the Temporal UI's. */
  origines: string[];
}

interface Authentifications {
  /** Passpro's tokens (api/auth.ts). */
  authentification: Authentification;
  /** The staff's sign-in, when the pages are served (api/web/connexion.ts). */
  appelantDeSession?: (req: Request) => Promise<Appelant | undefined>;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 attendu').refine((s) => s.length % 4 === 0, 'base64 attendu');
const chargesSchema = z.strictObject({
  payloads: z.array(z.strictObject({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })).max(10_000),
});
type Charges = z.infer<typeof chargesSchema>;

const enOctets = (charges: Charges) =>
  charges.payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([cle, valeur]) => [cle, Buffer.from(valeur, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  }));

const enBase64 = (payloads: Awaited<ReturnType<PayloadCodec['decode']>>): Charges => ({
  payloads: payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([cle, valeur]) => [cle, Buffer.from(valeur).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  })),
});

export function routesCodec(app: Express, deps: CodecDeps & Authentifications): void {
  // The UI calls from its own origin, with the session cookie: only its origin is answered, credentials allowed.
  const cors: RequestHandler = (req, res, next) => {
    const origine = req.get('origin');
    if (origine && deps.origines.includes(origine)) {
      res.set({
        'Access-Control-Allow-Origin': origine,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };

  // A Passpro token when the request carries one; else the session of the staff's sign-in.
  const authentifier: RequestHandler = (req, res, next) => {
    if (req.get('authorization') || !deps.appelantDeSession) {
      deps.authentification.middleware(req, res, next);
      return;
    }
    deps.appelantDeSession(req).then((qui) => {
      if (!qui) {
        next(nonAuthentifie('connectez-vous à Passpro dans ce navigateur (session du SAIO), ou envoyez Authorization: Bearer <jeton>'));
        return;
      }
      req.appelant = qui;
      next();
    }, next);
  };

  const operation = (transformer: (payloads: ReturnType<typeof enOctets>) => ReturnType<PayloadCodec['decode']>) => (req: Request, res: Response, next: (e?: unknown) => void) => {
    const namespace = req.get('x-namespace');
    if (namespace !== undefined && namespace !== deps.namespace) {
      next(new ApiError(400, 'requete_invalide', `X-Namespace : espace de noms inconnu de ce codec (${deps.namespace} attendu)`, 'headers.x-namespace'));
      return;
    }
    if (!req.is('application/json')) {
      next(new ApiError(415, 'type_non_pris_en_charge', 'Content-Type: application/json attendu'));
      return;
    }
    let charges: Charges;
    try {
      charges = parse(chargesSchema, req.body ?? {}, 'body');
    } catch (error) {
      next(error);
      return;
    }
    transformer(enOctets(charges)).then(
      (payloads) => void res.json(enBase64(payloads)),
      (error: unknown) => next(error instanceof ErreurCodec ? new ApiError(400, 'charge_illisible', error.message, 'body.payloads') : error),
    );
  };

  // A history's payloads come in one call: more than the API's 100 kB bodies.
  const json = express.json({ limit: '2mb' });
  const avant = [cors, authentifier, exigerRoles(['saio']), json];
  app.options(['/codec/decode', '/codec/encode'], cors);
  app.post('/codec/decode', ...avant, operation((p) => deps.codec.decode(p)));
  app.post('/codec/encode', ...avant, operation((p) => deps.codec.encode(p)));
}
