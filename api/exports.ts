// CSV exports for the SAIO, from the query side: the avis final and bonus of every vœu for AFFELNET, and
// the candidatures that are late or stalled. One implementation for the API (`GET /exports/…`, SAIO only),
// the SAIO's page and the command line (runtime/export.ts); the API's and the page's are recorded in the
// access journal (api/journal.ts).
import type { Express } from 'express';
import { z } from 'zod';
import { csv, envoyerCsv, heureParis } from '../presentation/csv';
import type { PrismaClient } from '../platform/database';
import { exigerRoles, type Appelant } from './auth';
import { noterExport } from './journal';
import { campagneId } from './schemas';
import { parse } from './validation';

export const exportAffelnetQuery = z.strictObject({ campagne: campagneId });
export const exportRetardsQuery = z.strictObject({ campagne: campagneId.optional() });

/**
 * One row per vœu of every registered candidature that is not désistée. `Rang du voeu` numbers the pupil's
 * vœux across domaines in the order of Passpro registration (the family orders them in AFFELNET itself).
 * `Bonus` is the workflow's decision by the campaign's rule (empty while undecided); `Avec barème ?` is O
 * when it grants points.
 */
export const colonnesAffelnet = [
  'INE',
  'Nom',
  'Prénom',
  'Code UAI étab. origine',
  'Rang du voeu',
  'Code MEF',
  'Libellé formation',
  'Code UAI étab. Accueil',
  'Domaine',
  'Modalité',
  "Avis d'origine",
  "Avis d'accueil",
  'Avis final',
  'Bonus',
  'Avec barème ?',
] as const;

/** A file and how many rows it holds (the access journal records the count). */
export interface Export {
  contenu: string;
  lignes: number;
}

export async function exportAffelnet(prisma: PrismaClient, campagne: string): Promise<Export> {
  const candidatures = await prisma.candidature.findMany({
    where: { campagneId: campagne, inscritLe: { not: null }, etape: { not: 'desistee' } },
    include: { eleve: { select: { nom: true, prenom: true } }, voeux: { orderBy: { rang: 'asc' } } },
    orderBy: [{ ine: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
  });
  const rangs = new Map<string, number>();
  const lignes = candidatures.flatMap((c) =>
    c.voeux.map((v) => {
      const rang = (rangs.get(c.ine) ?? 0) + 1;
      rangs.set(c.ine, rang);
      return [
        c.ine,
        c.eleve.nom,
        c.eleve.prenom,
        c.uaiOrigine,
        rang,
        v.codeFormation,
        v.libelle,
        v.uaiAccueil,
        c.domaineLibelle ?? c.domaine,
        c.modalite,
        v.avisOrigine,
        v.avisAccueil,
        v.avisFinal,
        v.bonus,
        (v.bonus ?? 0) > 0 ? 'O' : 'N',
      ];
    }),
  );
  return { contenu: csv(colonnesAffelnet, lignes), lignes: lignes.length };
}

/** The candidatures with an open lateness (as `PassproEnRetard`), the longest stuck first. */
export const colonnesRetards = [
  'Candidature',
  'Campagne',
  'INE',
  'Nom',
  'Prénom',
  'Domaine',
  'Code UAI étab. origine',
  'Code UAI étab. Accueil',
  'Étape',
  "Dans l'étape depuis (heure de Paris)",
  'Retards',
  'Échéance (heure de Paris)',
] as const;

export async function exportRetards(prisma: PrismaClient, campagne?: string): Promise<Export> {
  const candidatures = await prisma.candidature.findMany({
    where: { enRetard: true, ...(campagne ? { campagneId: campagne } : {}) },
    include: { eleve: { select: { nom: true, prenom: true } } },
    orderBy: [{ etapeDepuis: 'asc' }, { id: 'asc' }],
  });
  const contenu = csv(
    colonnesRetards,
    candidatures.map((c) => [
      c.id,
      c.campagneId,
      c.ine,
      c.eleve.nom,
      c.eleve.prenom,
      c.domaineLibelle ?? c.domaine,
      c.uaiOrigine,
      c.uaiAccueil,
      c.etape,
      heureParis(c.etapeDepuis),
      c.retards.join(', '),
      heureParis(c.echeance),
    ]),
  );
  return { contenu, lignes: candidatures.length };
}

/** The files as the SAIO downloads them (API and page): each download recorded with its filters and count. */
export const telechargements = {
  async affelnet(prisma: PrismaClient, acteur: Appelant, q: z.infer<typeof exportAffelnetQuery>): Promise<{ nom: string; contenu: string }> {
    const { contenu, lignes } = await exportAffelnet(prisma, q.campagne);
    await noterExport(prisma, acteur, 'export_affelnet', q, lignes);
    return { nom: `affelnet-${q.campagne}.csv`, contenu };
  },
  async retards(prisma: PrismaClient, acteur: Appelant, q: z.infer<typeof exportRetardsQuery>): Promise<{ nom: string; contenu: string }> {
    const { contenu, lignes } = await exportRetards(prisma, q.campagne);
    await noterExport(prisma, acteur, 'export_retards', q, lignes);
    return { nom: `retards${q.campagne ? `-${q.campagne}` : ''}.csv`, contenu };
  },
};

/** `GET /exports/affelnet.csv?campagne=` and `GET /exports/retards.csv[?campagne=]`, for the SAIO (authenticated by the app). */
export function routesExports(app: Express, deps: { prisma: PrismaClient }): void {
  const saio = exigerRoles(['saio']);
  app.get('/exports/affelnet.csv', saio, async (req, res) => {
    const { nom, contenu } = await telechargements.affelnet(deps.prisma, req.appelant!, parse(exportAffelnetQuery, req.query, 'query'));
    envoyerCsv(res, nom, contenu);
  });
  app.get('/exports/retards.csv', saio, async (req, res) => {
    const { nom, contenu } = await telechargements.retards(deps.prisma, req.appelant!, parse(exportRetardsQuery, req.query, 'query'));
    envoyerCsv(res, nom, contenu);
  });
}
