// Structured logs (pino): one line per request with its id, status, duration and caller (sub, role, UAI).
// The request id comes from the caller's `x-request-id` when it is sensible, is made up otherwise, and is
// echoed in the answer. A URL names pupils (`/eleves/:ine/fiche`, a candidature id holds the INE): it is
// logged with its INEs masked.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import pino, { type DestinationStream, type Logger } from 'pino';
import { masquerUrl } from '../platform/masquage';

export type { Logger };

/** `destination`: standard output by default; tests pass a stream to read the lines. */
export function createLogger(level: string = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'passpro-api' },
    // Tokens never reach the logs (the request serializer keeps no header anyway).
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[masqué]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

const requestIdSensible = /^[\w.:-]{1,128}$/;

/**
 * The request log: one line when the answer is sent (or the connection dropped before), at `warn` for a 4xx
 * and `error` for a 5xx. Written here rather than by pino-http, whose child logger per request cost more than
 * a read of a candidature.
 */
export function httpLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const recu = req.headers['x-request-id'];
    const id = typeof recu === 'string' && requestIdSensible.test(recu) ? recu : randomUUID();
    res.setHeader('x-request-id', id);
    // /health is polled every few seconds by docker-compose: not worth a line each time.
    if (req.path === '/health') {
      next();
      return;
    }
    const debut = performance.now();
    res.once('close', () => {
      const fini = res.writableFinished;
      const niveau = !fini || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(niveau)) return;
      const { appelant } = req;
      logger[niveau](
        {
          req: { id, method: req.method, url: masquerUrl(req.originalUrl) },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - debut),
          ...(appelant ? { appelant: { sub: appelant.nom, role: appelant.role, uai: appelant.uai } } : {}),
        },
        fini ? 'requête traitée' : 'requête interrompue',
      );
    });
    next();
  };
}
