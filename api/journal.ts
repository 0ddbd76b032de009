// The access journal: every read of a pupil's data is recorded (who, what, when) before the data is sent, by
// the read functions that the JSON routes and the pages share (api/candidatures.ts, api/fiches.ts,
// api/exports.ts). A read refused (404, 403) or not possible (fiche not ready) is no read: nothing recorded.
// The SAIO exports it as CSV, by period and candidature.
import type { Express } from 'express';
import { z } from 'zod';
import { isIsoDate, parisInstant, addDays } from '../domain/calendar';
import type { Prisma } from '../generated/prisma/client';
import type { PrismaClient } from '../platform/database';
import { exigerRoles, type Appelant } from './auth';
import { csv, envoyerCsv, heureParis } from '../presentation/csv';
import { candidatureIdParam } from './schemas';
import { parse } from './validation';

export type NatureLecture = 'candidature' | 'dossier' | 'fiche_html' | 'fiche_pdf';
export type NatureExport = 'export_affelnet' | 'export_retards' | 'export_journal';

const qui = (acteur: Appelant) => ({ acteurNom: acteur.nom, acteurRole: acteur.role, acteurUai: acteur.uai });

/** One row per candidature read, in one statement. */
export async function noterLectures(prisma: PrismaClient, acteur: Appelant, nature: NatureLecture, candidatureIds: readonly string[]): Promise<void> {
  if (candidatureIds.length === 0) return;
  await prisma.journalAcces.createMany({ data: candidatureIds.map((candidatureId) => ({ ...qui(acteur), nature, candidatureId })) });
}

/** One row per export, with its filters and the number of rows it gave. */
export async function noterExport(prisma: PrismaClient, acteur: Appelant, nature: NatureExport, filtres: Record<string, unknown>, lignes: number): Promise<void> {
  await prisma.journalAcces.create({ data: { ...qui(acteur), nature, details: { filtres, lignes } as Prisma.InputJsonObject } });
}

const jour = z.string().refine(isIsoDate, 'date attendue au format AAAA-MM-JJ');

/** The period is Paris calendar days, both inclusive. */
export const journalQuery = z
  .strictObject({ du: jour.optional(), au: jour.optional(), candidature: candidatureIdParam.optional() })
  .refine((q) => !q.du || !q.au || q.du <= q.au, { message: 'la fin de la période ne peut précéder son début', path: ['au'] });

export const colonnesJournal = ['Date (heure de Paris)', 'Personne', 'Rôle', 'UAI', 'Lecture', 'Candidature', 'Filtres', 'Lignes'] as const;

/** The journal's rows in the period, oldest first, as CSV; the export is itself recorded. */
export async function exportJournal(prisma: PrismaClient, acteur: Appelant, q: z.infer<typeof journalQuery>): Promise<string> {
  const survenuLe = {
    ...(q.du ? { gte: parisInstant(q.du) } : {}),
    ...(q.au ? { lt: parisInstant(addDays(q.au, 1)) } : {}),
  };
  const lignes = await prisma.journalAcces.findMany({
    where: { survenuLe, candidatureId: q.candidature },
    orderBy: [{ survenuLe: 'asc' }, { id: 'asc' }],
  });
  const contenu = csv(
    colonnesJournal,
    lignes.map((l) => {
      const details = (l.details ?? {}) as { filtres?: Record<string, unknown>; lignes?: number };
      return [heureParis(l.survenuLe), l.acteurNom, l.acteurRole, l.acteurUai, l.nature, l.candidatureId, details.filtres ? JSON.stringify(details.filtres) : null, details.lignes ?? null];
    }),
  );
  await noterExport(prisma, acteur, 'export_journal', q, lignes.length);
  return contenu;
}

export const nomFichierJournal = (q: z.infer<typeof journalQuery>) => `journal-acces${q.du ? `-du-${q.du}` : ''}${q.au ? `-au-${q.au}` : ''}.csv`;

/** `GET /journal/acces.csv?du=&au=&candidature=`, for the SAIO (authenticated by the app). */
export function routesJournal(app: Express, deps: { prisma: PrismaClient }): void {
  app.get('/journal/acces.csv', exigerRoles(['saio']), async (req, res) => {
    const q = parse(journalQuery, req.query, 'query');
    envoyerCsv(res, nomFichierJournal(q), await exportJournal(deps.prisma, req.appelant!, q));
  });
}
