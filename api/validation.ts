// One validation middleware: zod parses params, query and body; a failure is a 400 naming the field.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { ApiError } from './errors';

/** zod's own messages in French (the schemas' custom messages already are). */
export const messagesEnFrancais = z.locales.fr().localeError;

/** The path of an issue; for an unknown key, the key itself (`eleve.moyenne`), not the object that holds it. */
export function cheminDe(issue: z.core.$ZodIssue): string[] {
  const chemin = issue.path.map(String);
  return issue.code === 'unrecognized_keys' ? [...chemin, issue.keys[0]] : chemin;
}

export function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value, { error: messagesEnFrancais });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const champ = [where, ...cheminDe(issue)].join('.');
  const message = issue.code === 'unrecognized_keys' ? 'champ inconnu : il ne peut être transmis' : issue.message;
  throw new ApiError(400, 'requete_invalide', `${champ} : ${message}`, champ);
}

/** Validates `req.body` in place (no body counts as `{}`); handlers then read a typed body. */
export function body<S extends z.ZodType>(schema: S): RequestHandler {
  return (req, _res, next) => {
    req.body = parse(schema, req.body ?? {}, 'body');
    next();
  };
}
