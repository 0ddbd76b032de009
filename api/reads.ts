// Lists and counts from the query side (the database the activities keep), scoped to the caller's school.
// The workflow writes its row before it answers an action, so an answered action is already listed; a
// deadline's consequence (an escalation) shows once its write is done, moments later.
import type { z } from 'zod';
import { Prisma } from '../generated/prisma/client';
import type { PrismaClient } from '../platform/database';
import { filtrePerimetre, type Appelant } from './auth';
import type { candidatureResumeSchema, listeQuery, listeReponseSchema, statistiquesReponseSchema } from './schemas';

type Resume = z.infer<typeof candidatureResumeSchema>;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const avecEleveEtVoeux = {
  eleve: { select: { nom: true, prenom: true, niveau: true } },
  voeux: { orderBy: { rang: 'asc' } },
} satisfies Prisma.CandidatureInclude;

type Ligne = Prisma.CandidatureGetPayload<{ include: typeof avecEleveEtVoeux; omit: { etat: true } }>;

function resume(c: Ligne): Resume {
  return {
    id: c.id,
    campagneId: c.campagneId,
    eleve: { ine: c.ine, nom: c.eleve.nom, prenom: c.eleve.prenom, niveau: c.eleve.niveau },
    domaine: { code: c.domaine, libelle: c.domaineLibelle },
    modalite: c.modalite,
    uaiOrigine: c.uaiOrigine,
    uaiAccueil: c.uaiAccueil,
    etape: c.etape,
    etapeDepuis: c.etapeDepuis.toISOString(),
    echeance: iso(c.echeance),
    enRetard: c.enRetard,
    retards: c.retards,
    entretien: c.entretienDate
      ? { date: c.entretienDate, heure: c.entretienHeure, lieu: c.entretienLieu, mode: c.entretienMode, statut: c.entretienStatut }
      : null,
    voeux: c.voeux.map((v) => ({
      codeFormation: v.codeFormation,
      libelle: v.libelle,
      rang: v.rang,
      avisOrigine: v.avisOrigine,
      avisAccueil: v.avisAccueil,
      avisFinal: v.avisFinal,
    })),
    bonusAccorde: c.bonusAccorde,
  };
}

/** A search by name, first name or INE: every word of it found in one of them, whatever the case. */
function recherche(texte: string): Prisma.CandidatureWhereInput {
  const mots = texte.split(/\s+/).filter((m) => m !== '');
  return {
    AND: mots.map((mot) => ({
      OR: [
        { ine: { contains: mot.toUpperCase() } },
        { eleve: { nom: { contains: mot, mode: 'insensitive' as const } } },
        { eleve: { prenom: { contains: mot, mode: 'insensitive' as const } } },
      ],
    })),
  };
}

/** The filters AND the caller's scope: a collège filtering on another collège simply finds nothing. */
export async function listerCandidatures(
  prisma: PrismaClient,
  qui: Appelant,
  q: z.infer<typeof listeQuery>,
): Promise<z.infer<typeof listeReponseSchema>> {
  const where: Prisma.CandidatureWhereInput = {
    AND: [
      filtrePerimetre(qui),
      {
        campagneId: q.campagne,
        etape: q.etape,
        domaine: q.domaine,
        uaiOrigine: q.uaiOrigine,
        uaiAccueil: q.uaiAccueil,
        enRetard: q.enRetard,
      },
      q.q ? recherche(q.q) : {},
    ],
  };
  const [total, lignes] = await Promise.all([
    prisma.candidature.count({ where }),
    prisma.candidature.findMany({
      where,
      include: avecEleveEtVoeux,
      // The workflow's whole state (its history) is what a candidature's page reads, not a list.
      omit: { etat: true },
      // Stable: the order of creation, then the id (unique) for rows created in the same instant.
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      skip: (q.page - 1) * q.taille,
      take: q.taille,
    }),
  ]);
  return { elements: lignes.map(resume), page: q.page, taille: q.taille, total };
}

/** How many late candidatures the SAIO's answer lists in full (the count is always exact). */
export const MAX_EN_RETARD = 500;

type Statistiques = z.infer<typeof statistiquesReponseSchema>;

/** The counts being read, per database and per question: concurrent callers asking the same one share it. */
const statistiquesEnCours = new WeakMap<PrismaClient, Map<string, Promise<Statistiques>>>();

/**
 * `enRetardListees`: how many of the late candidatures are listed (the count stays exact). The counts scan
 * the whole campaign: a caller asking while the same counts are being read gets that answer (the rows as of
 * when that read started, milliseconds before), not a scan of its own. Callers do not modify the answer.
 */
export function statistiques(prisma: PrismaClient, campagne: string | undefined, enRetardListees = MAX_EN_RETARD): Promise<Statistiques> {
  let enCours = statistiquesEnCours.get(prisma);
  if (!enCours) statistiquesEnCours.set(prisma, (enCours = new Map()));
  const cle = `${campagne ?? ''}:${enRetardListees}`;
  const partagee = enCours.get(cle);
  if (partagee) return partagee;
  const lecture = lireStatistiques(prisma, campagne, enRetardListees).finally(() => enCours.delete(cle));
  enCours.set(cle, lecture);
  return lecture;
}

async function lireStatistiques(prisma: PrismaClient, campagne: string | undefined, enRetardListees: number): Promise<Statistiques> {
  const where: Prisma.CandidatureWhereInput = campagne ? { campagneId: campagne } : {};
  // The three counts in one scan of the campaign's rows (grouping sets) rather than one scan each.
  const [groupes, retardTotal, retards, incidentTotal, incidents] = await Promise.all([
    prisma.$queryRaw<{ etape: string; uaiAccueil: string | null; uaiOrigine: string | null; n: number }[]>`
      SELECT "etape", "uaiAccueil", "uaiOrigine", count(*)::int AS n FROM "Candidature"
      ${campagne ? Prisma.sql`WHERE "campagneId" = ${campagne}` : Prisma.empty}
      GROUP BY GROUPING SETS (("etape"), ("uaiAccueil", "etape"), ("uaiOrigine", "etape"))
      ORDER BY "uaiAccueil", "uaiOrigine", "etape"`,
    prisma.candidature.count({ where: { ...where, enRetard: true } }),
    prisma.candidature.findMany({
      where: { ...where, enRetard: true },
      select: { id: true, ine: true, domaine: true, uaiOrigine: true, uaiAccueil: true, etape: true, etapeDepuis: true, retards: true, echeance: true },
      orderBy: [{ etapeDepuis: 'asc' }, { id: 'asc' }],
      take: enRetardListees,
    }),
    prisma.incident.count({ where: campagne ? { campagneId: campagne } : {} }),
    prisma.incident.findMany({ where: campagne ? { campagneId: campagne } : {}, orderBy: { id: 'desc' }, take: MAX_EN_RETARD }),
  ]);
  // The key columns are never null: a null one is a column its grouping set leaves out.
  const parEtape = groupes.filter((g) => g.uaiAccueil === null && g.uaiOrigine === null);
  const parLycee = groupes.flatMap((g) => (g.uaiAccueil === null ? [] : [{ uai: g.uaiAccueil, etape: g.etape, n: g.n }]));
  const parCollege = groupes.flatMap((g) => (g.uaiOrigine === null ? [] : [{ uai: g.uaiOrigine, etape: g.etape, n: g.n }]));
  const parEcole = (lignes: { uai: string; etape: string; n: number }[]) => {
    const ecoles = new Map<string, { uai: string; total: number; parEtape: Record<string, number> }>();
    for (const { uai, etape, n } of lignes) {
      const ecole = ecoles.get(uai) ?? { uai, total: 0, parEtape: {} };
      ecole.total += n;
      ecole.parEtape[etape] = n;
      ecoles.set(uai, ecole);
    }
    return [...ecoles.values()];
  };
  return {
    campagne: campagne ?? null,
    total: parEtape.reduce((n, g) => n + g.n, 0),
    parEtape: Object.fromEntries(parEtape.map((g) => [g.etape, g.n])),
    parLycee: parEcole(parLycee),
    parCollege: parEcole(parCollege),
    enRetard: {
      total: retardTotal,
      candidatures: retards.map((c) => ({
        id: c.id,
        ine: c.ine,
        domaine: c.domaine,
        uaiOrigine: c.uaiOrigine,
        uaiAccueil: c.uaiAccueil,
        etape: c.etape,
        depuis: c.etapeDepuis.toISOString(),
        retards: c.retards,
        echeance: iso(c.echeance),
      })),
    },
    incidents: {
      total: incidentTotal,
      derniers: incidents.map((i) => ({ candidatureId: i.candidatureId, action: i.action, code: i.code, annulee: i.annulee, survenuLe: i.survenuLe.toISOString() })),
    },
  };
}
