// Structured logs (pino): one line per request with its id, status and duration. The request id comes
// from the caller's `x-request-id` when it is sensible, is made up otherwise, and is echoed in the answer.
import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

export type { Logger };

export function createLogger(level: string = 'info'): Logger {
  return pino({
    level,
    base: { service: 'passpro-api' },
    // Tokens never reach the logs (the request serializer keeps no header anyway).
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[masqué]' },
  });
}

const requestIdSensible = /^[\w.:-]{1,128}$/;

export function httpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const recu = req.headers['x-request-id'];
      const id = typeof recu === 'string' && requestIdSensible.test(recu) ? recu : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    // One short line: no headers (tokens, cookies) in the logs.
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // /health is polled every few seconds by docker-compose: not worth a line each time.
    autoLogging: { ignore: (req) => req.url === '/health' },
    customProps: (req) => {
      const appelant = (req as { appelant?: { role: string; uai: string | null } }).appelant;
      return appelant ? { role: appelant.role, uai: appelant.uai } : {};
    },
  });
}
