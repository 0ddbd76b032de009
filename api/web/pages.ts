// The sign-in's pages (templates/pages/<name>.hbs, page bodies in French with the design system's classes),
// compiled once, each in a bare HTML document until the application's layout wraps them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Response } from 'express';
import Handlebars from 'handlebars';
import { templatesDir } from '../../platform/paths';

export const pagesConnexion = ['connexion', 'compte', 'sans-role', 'deconnecte', 'refus-csrf', 'connexion-echouee'] as const;
export type PageConnexion = (typeof pagesConnexion)[number];

const hbs = Handlebars.create();
const document = hbs.compile(`<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{titre}} — Passpro</title></head>
<body>{{{corps}}}</body>
</html>
`);
const corps = new Map(pagesConnexion.map((nom) => [nom, hbs.compile(readFileSync(path.join(templatesDir, 'pages', `${nom}.hbs`), 'utf8'))]));

/** Answers `status` with the page; `titre` names it in the document's title. */
export function rendrePage(res: Response, status: number, nom: PageConnexion, donnees: { titre: string } & Record<string, unknown>): void {
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(document({ titre: donnees.titre, corps: corps.get(nom)!({ ...res.locals, ...donnees }) }));
}
