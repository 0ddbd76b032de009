// CSV exports for the SAIO, from the query side: the avis final and bonus of every vœu for AFFELNET, and
// the candidatures that are late or stalled. One implementation for the API (`GET /exports/…`, SAIO only)
// and the command line (runtime/export.ts).
//
// The files are for a spreadsheet or AFFELNET: semicolon-separated as AFFELNET's extractions, UTF-8 with
// a byte-order mark (without it a French Excel misreads the accents), CRLF line ends, times in Paris.
import type { Express, Response } from 'express';
import { z } from 'zod';
import { parisDateOf, parisTimeOf } from '../domain/calendar';
import type { PrismaClient } from '../platform/database';
import { exigerRoles } from './auth';
import { campagneId } from './schemas';
import { parse } from './validation';

export const exportAffelnetQuery = z.strictObject({ campagne: campagneId });
export const exportRetardsQuery = z.strictObject({ campagne: campagneId.optional() });

/** A cell that a spreadsheet would read as a formula gets a leading quote (CSV injection). */
function cellule(valeur: string | number | null): string {
  const texte = valeur === null ? '' : String(valeur);
  const sur = /^[=+\-@\t\r]/.test(texte) ? `'${texte}` : texte;
  return /[;"\r\n]/.test(sur) ? `"${sur.replace(/"/g, '""')}"` : sur;
}

function csv(colonnes: readonly string[], lignes: (string | number | null)[][]): string {
  return `\uFEFF${[colonnes, ...lignes].map((ligne) => ligne.map(cellule).join(';')).join('\r\n')}\r\n`;
}

const heureParis = (d: Date | null) => (d ? `${parisDateOf(d)} ${parisTimeOf(d)}` : null);

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

export async function exportAffelnet(prisma: PrismaClient, campagne: string): Promise<string> {
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
  return csv(colonnesAffelnet, lignes);
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

export async function exportRetards(prisma: PrismaClient, campagne?: string): Promise<string> {
  const candidatures = await prisma.candidature.findMany({
    where: { enRetard: true, ...(campagne ? { campagneId: campagne } : {}) },
    include: { eleve: { select: { nom: true, prenom: true } } },
    orderBy: [{ etapeDepuis: 'asc' }, { id: 'asc' }],
  });
  return csv(
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
}

/** `GET /exports/affelnet.csv?campagne=` and `GET /exports/retards.csv[?campagne=]`, for the SAIO (authenticated by the app). */
export function routesExports(app: Express, deps: { prisma: PrismaClient }): void {
  const saio = exigerRoles(['saio']);
  const envoyer = (res: Response, nom: string, contenu: string) => {
    res.type('text/csv; charset=utf-8').attachment(nom).send(contenu);
  };
  app.get('/exports/affelnet.csv', saio, async (req, res) => {
    const { campagne } = parse(exportAffelnetQuery, req.query, 'query');
    envoyer(res, `affelnet-${campagne}.csv`, await exportAffelnet(deps.prisma, campagne));
  });
  app.get('/exports/retards.csv', saio, async (req, res) => {
    const { campagne } = parse(exportRetardsQuery, req.query, 'query');
    envoyer(res, `retards${campagne ? `-${campagne}` : ''}.csv`, await exportRetards(deps.prisma, campagne));
  });
}
