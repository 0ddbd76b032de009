// The fiche récapitulative (DOMAIN.md step 9) for staff, as HTML or PDF, by the renderers of
// presentation/fiche.ts: per candidature, and per pupil across his domaines of one campaign. Scoped as every
// read: another school's candidature or pupil is as unknown as a missing one (404). Every fiche sent, by the
// API or a page, is recorded in the access journal, one row per candidature it shows (`documentFiches`).
import type { Express, Request, Response } from 'express';
import { ficheHtml, fichesPdf } from '../presentation/fiche';
import type { PrismaClient } from '../platform/database';
import type { CandidatureState } from '../domain/candidature';
import { appelant, filtrePerimetre, type Appelant } from './auth';
import { ApiError } from './errors';
import { noterLectures } from './journal';
import { candidatureIdParam, ficheEleveQuery, ficheQuery, ine } from './schemas';
import { parse } from './validation';

export interface FichesDeps {
  prisma: PrismaClient;
  /** The live state of a candidature the caller may see, else 404 (api/app.ts). */
  etatVisible: (id: string, qui: Appelant) => Promise<CandidatureState>;
}

export type FormatFiche = 'html' | 'pdf';

const nonPrete = () =>
  new ApiError(
    409,
    'fiche_non_prete',
    "la fiche récapitulative n'est pas encore prête : elle l'est dès que le lycée a saisi le compte rendu et les avis d'accueil, ou constaté l'absence de l'élève",
  );
const eleveIntrouvable = () => new ApiError(404, 'eleve_introuvable', 'élève introuvable');

/** `?format=` first; else what the caller accepts, HTML when anything goes. */
function choisirFormat(req: Request, demande: FormatFiche | undefined): FormatFiche {
  if (demande) return demande;
  switch (req.accepts(['text/html', 'application/pdf'])) {
    case 'text/html':
      return 'html';
    case 'application/pdf':
      return 'pdf';
    default:
      throw new ApiError(406, 'format_non_disponible', 'la fiche existe en text/html et en application/pdf (ou ?format=html, ?format=pdf)');
  }
}

/**
 * The document of one or more pupils' fiches (one pupil's candidatures each: the PDF of all a collège's fiches
 * holds many, the HTML one), recorded in the access journal before it is sent: one row per candidature shown.
 */
export async function documentFiches(prisma: PrismaClient, qui: Appelant, format: FormatFiche, parEleve: CandidatureState[][]): Promise<{ type: string; corps: string | Buffer }> {
  const corps = format === 'pdf' ? await fichesPdf(parEleve) : ficheHtml(parEleve[0]);
  await noterLectures(prisma, qui, format === 'pdf' ? 'fiche_pdf' : 'fiche_html', parEleve.flat().map((e) => e.id));
  return { type: format === 'pdf' ? 'application/pdf' : 'html', corps };
}

/** Sends a document of fiches (`nomFichier`: the PDF's name), which no cache along the way keeps: personal data. */
export function envoyerFiches(res: Response, { type, corps }: { type: string; corps: string | Buffer }, nomFichier: string): void {
  res.set('Cache-Control', 'no-store').type(type);
  if (type === 'application/pdf') res.set('Content-Disposition', `inline; filename="${nomFichier}.pdf"`);
  res.send(corps);
}

export function routesFiches(app: Express, deps: FichesDeps): void {
  app.get('/candidatures/:id/fiche', async (req, res) => {
    const id = parse(candidatureIdParam, req.params.id, 'params.id');
    const { format } = parse(ficheQuery, req.query, 'query');
    const choix = choisirFormat(req, format);
    const qui = appelant(req);
    const etat = await deps.etatVisible(id, qui);
    if (etat.ficheRecapitulativeLe === null) throw nonPrete();
    res.vary('Accept');
    envoyerFiches(res, await documentFiches(deps.prisma, qui, choix, [[etat]]), `fiche-${etat.eleve.ine}-${etat.domaine.code}`);
  });

  app.get('/eleves/:ine/fiche', async (req, res) => {
    const ineEleve = parse(ine, req.params.ine, 'params.ine');
    const query = parse(ficheEleveQuery, req.query, 'query');
    const choix = choisirFormat(req, query.format);
    const qui = appelant(req);
    // Which candidatures: the database (in the caller's scope); what they say: the workflows, live.
    const lignes = await deps.prisma.candidature.findMany({
      where: { AND: [filtrePerimetre(qui), { ine: ineEleve, campagneId: query.campagne }] },
      select: { id: true, campagneId: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    if (lignes.length === 0) throw eleveIntrouvable();
    const campagne = query.campagne ?? lignes[lignes.length - 1].campagneId;
    const etats = await Promise.all(lignes.filter((l) => l.campagneId === campagne).map((l) => deps.etatVisible(l.id, qui)));
    // Interest only (recensement) is no application: it has no place on the fiche.
    const inscrites = etats.filter((e) => e.etape !== 'recensement');
    if (!inscrites.some((e) => e.ficheRecapitulativeLe !== null)) throw nonPrete();
    res.vary('Accept');
    envoyerFiches(res, await documentFiches(deps.prisma, qui, choix, [inscrites]), `fiche-${ineEleve}-${campagne}`);
  });
}
