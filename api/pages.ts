// The web pages' ground: the French State design system (DSFR) served from its npm package, the Content
// Security Policy the pages need, and the public home page. The staff's pages render through
// presentation/pages.ts as this one does.
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { createPageRenderer, type RenduPage } from '../presentation/pages';

/** DSFR's compiled files: the stylesheets, scripts, fonts, icons and favicons that the layout links to. */
const dossierDsfr = path.join(path.dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist');

/**
 * Exactly what the pages load: DSFR's stylesheets, scripts, fonts and icons from this origin (its CSS holds some
 * icons as data: URIs) and no inline script or style. DSFR's scripts change styles through the CSSOM
 * (`element.style`), which style-src does not govern, so 'unsafe-inline' is not needed. Forms post here, and to
 * the identity provider's origin when it is given (sign-out ends there).
 */
export const politiqueContenuPages = (autresCiblesDeFormulaires: string[] = []) => helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    formAction: ["'self'", ...autresCiblesDeFormulaires],
    frameAncestors: ["'none'"],
    imgSrc: ["'self'", 'data:'],
    manifestSrc: ["'self'"],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
  },
});

/** Swagger UI (`/docs`) writes inline styles: its page alone gets them. */
export const politiqueContenuDocs = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    fontSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
  },
});

/** On a router of their own: pages are not routes of the JSON API (its OpenAPI document lists the app's routes). */
export function routesPages(app: Express, rendu: RenduPage = createPageRenderer()): void {
  const pages = express.Router();
  // Not versioned in the URL: a day in the browser's cache, then revalidated by ETag.
  pages.use('/dsfr', express.static(dossierDsfr, { maxAge: '1d', index: false }));

  pages.get('/', (_req, res) => {
    res.type('html').send(rendu('accueil', { titre: 'Accueil' }));
  });
  app.use(pages);
}
