// The staff's application: the pages of each role behind the sign-in (api/web/connexion.ts). A page calls the
// same function of api/candidatures.ts as its JSON route, and shows its refusal on the form, in French.
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Role } from '../../domain/candidature';
import type { Database } from '../../platform/database';
import type { Appelant } from '../auth';
import type { Candidatures } from '../candidatures';
import type { Creneaux } from '../creneaux';
import { ApiError } from '../errors';
import type { ImportDeps } from '../import';
import type { Purges } from '../purges';
import type { ConnexionWeb } from './connexion';
import { routesCollege } from './espace/college';
import { routesCreneauxLycee } from './espace/creneaux';
import { routesDossier } from './espace/dossier';
import { routesLycee } from './espace/lycee';
import { routesPurgesSaio } from './espace/purges';
import { routesSaio } from './espace/saio';
import { rendrePage, type DonneesPage } from './pages';

export interface EspaceDeps {
  web: ConnexionWeb;
  candidatures: Candidatures;
  creneaux: Creneaux;
  /** The SAIO's early purge of a campaign (api/purges.ts). */
  purges: Purges;
  db: Database;
  /** The CSV import of `POST /candidatures/import`, which the collège's page calls too. */
  imports: ImportDeps;
  /** The SAIO's Temporal UI, where each count of the dashboard has its query too. */
  temporalUiUrl?: string;
}

/** What a page's route receives: who is signed in, and how to answer. */
export interface Page {
  req: Request;
  res: Response;
  qui: Appelant;
  rendre(nom: string, donnees: DonneesPage, status?: number): void;
}

export type PageHandler = (page: Page) => Promise<void>;

/** A page's route: the signed-in person, errors passed on to Express (a 500 page never shows a stack). */
export function page(fn: PageHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const qui = req.appelant!;
    fn({ req, res, qui, rendre: (nom, donnees, status = 200) => rendrePage(res, status, nom, donnees, req) }).catch(next);
  };
}

/** Where each role's work starts. */
export const accueilParRole: Record<Appelant['role'], string> = {
  origine_chef: '/college/candidatures',
  origine_personnel: '/college/candidatures',
  accueil_chef: '/lycee/a-traiter',
  accueil_personnel: '/lycee/a-traiter',
  saio: '/saio/tableau-de-bord',
};

/** The pages of other roles answer 403, with a page that says whose they are. */
export function reservePages(roles: readonly Role[]): RequestHandler {
  return (req, res, next) => {
    if (roles.includes(req.appelant!.role)) return next();
    rendrePage(res, 403, 'acces-refuse', { titre: 'Accès refusé', accueil: accueilParRole[req.appelant!.role] }, req);
  };
}

/**
 * A refusal of a staff action, as a form shows it: the message on its field when the refusal names one
 * (`body.eleve.ine` → `eleve.ine`), at the top of the form otherwise. Anything else is not a refusal.
 */
export function refusDeFormulaire(error: unknown): { status: number; message: string; champ?: string } {
  if (!(error instanceof ApiError)) throw error;
  return { status: error.status, message: error.message, champ: error.champ?.replace(/^body\./, '') };
}

/** The paths of the staff's pages: signed in, and every form posted with its session's CSRF token. */
export const prefixesEspace = ['/espace', '/college', '/lycee', '/saio', '/dossiers'];

export function routesEspace(app: Express, deps: EspaceDeps): void {
  app.use(prefixesEspace, deps.web.exigerSession);
  // A file upload (multipart) is checked by its route once its body is read: the token is one of its fields.
  const [lireFormulaire, verifierCsrf] = deps.web.exigerCsrf;
  app.use(prefixesEspace, (req, res, next) => {
    if (req.method !== 'POST' || req.is('multipart/form-data')) return next();
    lireFormulaire(req, res, (error?: unknown) => (error ? next(error) : verifierCsrf(req, res, next)));
  });
  // Each role's own pages: another role gets the 403 page, whatever the page.
  app.use('/college', reservePages(['origine_personnel', 'origine_chef']));
  app.use('/lycee', reservePages(['accueil_personnel', 'accueil_chef']));
  app.use('/saio', reservePages(['saio']));
  const espace = express.Router();
  espace.get('/espace', (req, res) => res.redirect(303, accueilParRole[req.appelant!.role]));
  routesCollege(espace, deps);
  routesLycee(espace, deps);
  routesCreneauxLycee(espace, deps);
  routesSaio(espace, deps);
  routesPurgesSaio(espace, deps);
  routesDossier(espace, deps);
  app.use(espace);
}
