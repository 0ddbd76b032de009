// Every page of the staff's application is answered here: the layout of presentation/pages.ts around the page's
// template (templates/pages/<name>.hbs), with the signed-in person, their CSRF token and where they are.
import type { Request, Response } from 'express';
import type { Appelant } from '../auth';
import { createPageRenderer, type DonneesLayout } from '../../presentation/pages';

const rendu = createPageRenderer();

export type DonneesPage = Omit<DonneesLayout, 'personne' | 'csrf' | 'chemin'> & Record<string, unknown>;

/** Answers `status` with the page; the person and the CSRF token come from the session (api/web/connexion.ts). */
export function rendrePage(res: Response, status: number, nom: string, donnees: DonneesPage, req?: Request): void {
  const appelant = res.locals.appelant as Appelant | undefined;
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(
      rendu(nom, {
        ...donnees,
        personne: appelant && { nom: appelant.nom, role: appelant.role, uai: appelant.uai },
        csrf: res.locals.csrf as string | undefined,
        chemin: req?.path,
      }),
    );
}
