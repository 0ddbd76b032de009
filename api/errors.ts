// One error shape for every response: { erreur: { code, message, champ? } }.
import type { ErrorRequestHandler, RequestHandler } from 'express';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly champ?: string,
  ) {
    super(message);
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'introuvable', `aucune ressource ${req.method} ${req.path}`));
};

/** Last handler: known errors keep their status; malformed bodies are 4xx; anything else is logged, 500. */
export function errorHandler(log: (error: unknown) => void): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    if (error instanceof ApiError) {
      res.status(error.status).json({ erreur: { code: error.code, message: error.message, champ: error.champ } });
      return;
    }
    const status = (error as { status?: number; type?: string }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (error as { type?: string }).type ?? 'requete_invalide';
      const message = type === 'entity.too.large' ? 'corps de requête trop volumineux' : 'corps de requête illisible';
      res.status(status).json({ erreur: { code: type.replace(/\W+/g, '_'), message } });
      return;
    }
    log(error);
    res.status(500).json({ erreur: { code: 'erreur_interne', message: 'erreur interne du serveur' } });
  };
}
