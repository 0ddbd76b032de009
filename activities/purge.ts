// The purge of a campaign's personal data once its retention has ended (RGPD), in batches: each batch deletes
// the Temporal histories of a few hundred ended candidatures, then all their rows (the pupil, the candidature
// and its vœux, history, reminders, mails, incidents) in one transaction. A batch reads what is left, so that a
// run stopped midway goes on where it stopped, and a second run finds nothing. Open candidatures are never
// touched. The access journal keeps its rows until its own retention, whatever the campaign.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { etapesFinales } from '../domain/candidature';
import { comptesVides, type BilanPurge, type ComptesPurge } from '../domain/purge';
import { campagnes } from '../domain/campaigns';
import { finConservation } from '../domain/deadlines';
import { Prisma } from '../generated/prisma/client';
import type { PrismaClient } from '../platform/database';

const finales = Prisma.join([...etapesFinales]);

/** A mail is a candidature's when it names it, or when its key starts with its id (an incident's notice). */
const courrielDe = (candidature: Prisma.Sql) => Prisma.sql`(m."candidatureId" = ${candidature} OR starts_with(m.cle, ${candidature} || '/'))`;

export async function bilanPurge(prisma: PrismaClient, campagne: string): Promise<BilanPurge> {
  const [ligne] = await prisma.$queryRaw<Omit<BilanPurge, 'campagne'>[]>`
    WITH c AS (SELECT id, ine, etape FROM "Candidature" WHERE "campagneId" = ${campagne})
    SELECT
      (SELECT count(*)::int FROM c) AS candidatures,
      (SELECT count(*)::int FROM c WHERE etape NOT IN (${finales})) AS ouvertes,
      (SELECT count(*)::int FROM "Eleve" e WHERE e.ine IN (SELECT ine FROM c)
        AND NOT EXISTS (SELECT 1 FROM "Candidature" x WHERE x.ine = e.ine AND x."campagneId" <> ${campagne})) AS eleves,
      (SELECT count(*)::int FROM "Voeu" WHERE "candidatureId" IN (SELECT id FROM c)) AS voeux,
      (SELECT count(*)::int FROM "Evenement" WHERE "candidatureId" IN (SELECT id FROM c)) AS evenements,
      (SELECT count(*)::int FROM "Rappel" WHERE "candidatureId" IN (SELECT id FROM c)) AS rappels,
      (SELECT count(*)::int FROM "Courriel" m WHERE EXISTS (SELECT 1 FROM c WHERE ${courrielDe(Prisma.sql`c.id`)})) AS courriels,
      (SELECT count(*)::int FROM "Incident" WHERE "campagneId" = ${campagne}) AS incidents,
      (SELECT count(*)::int FROM "Placement" WHERE "candidatureId" IN (SELECT id FROM c)) AS placements,
      (SELECT count(*)::int FROM "JournalAcces" WHERE "candidatureId" IN (SELECT id FROM c)) AS "lecturesAuJournal"`;
  return { campagne, ...ligne };
}

/** The campaigns whose retention has ended at `maintenant` and that still hold candidatures. */
export async function campagnesEchues(prisma: PrismaClient, maintenant: Date): Promise<string[]> {
  const echues = Object.values(campagnes).filter((c) => finConservation(c).getTime() < maintenant.getTime());
  if (echues.length === 0) return [];
  const restantes = await prisma.candidature.groupBy({ by: ['campagneId'], where: { campagneId: { in: echues.map((c) => c.id) } }, orderBy: { campagneId: 'asc' } });
  return restantes.map((r) => r.campagneId);
}

/** Deletes a candidature's workflow from Temporal: whether it was there (its namespace retention may have removed it). */
async function supprimerHistorique(id: string): Promise<boolean> {
  const { client, info } = Context.current();
  const namespace = info.workflowNamespace;
  try {
    const { workflowExecutionInfo } = await client.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId: id } });
    // Deleting a running workflow would terminate it: an ended candidature's run is finishing its last mails.
    if (workflowExecutionInfo?.closeTime == null) {
      throw ApplicationFailure.retryable('le workflow de la candidature est encore en cours : la purge reprendra quand il sera terminé', 'historique_en_cours');
    }
    await client.workflowService.deleteWorkflowExecution({ namespace, workflowExecution: { workflowId: id } });
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 5 /* NOT_FOUND */) return false;
    throw error;
  }
}

/** One batch of `taille` ended candidatures of the campaign: their histories, then their rows. */
export async function purgerLot(prisma: PrismaClient, campagne: string, taille: number): Promise<ComptesPurge> {
  const lot = await prisma.candidature.findMany({
    where: { campagneId: campagne, etape: { in: [...etapesFinales] } },
    select: { id: true, ine: true },
    orderBy: { id: 'asc' },
    take: taille,
  });
  const comptes = comptesVides();
  if (lot.length === 0) return comptes;
  // The histories first: a batch stopped after them finds its rows again, and deletes them next time.
  for (const { id } of lot) {
    if (await supprimerHistorique(id)) comptes.historiquesSupprimes += 1;
    else comptes.historiquesDejaEffaces += 1;
  }
  const ids = lot.map((c) => c.id);
  const dansLeLot = { candidatureId: { in: ids } };
  const [voeux, evenements, rappels, courriels, incidents, placements, candidatures, eleves] = await prisma.$transaction([
    prisma.voeu.deleteMany({ where: dansLeLot }),
    prisma.evenement.deleteMany({ where: dansLeLot }),
    prisma.rappel.deleteMany({ where: dansLeLot }),
    prisma.$executeRaw`DELETE FROM "Courriel" m WHERE EXISTS (SELECT 1 FROM unnest(${ids}::text[]) AS c(id) WHERE ${courrielDe(Prisma.sql`c.id`)})`,
    prisma.incident.deleteMany({ where: dansLeLot }),
    prisma.placement.deleteMany({ where: dansLeLot }),
    prisma.candidature.deleteMany({ where: { id: { in: ids } } }),
    // A pupil with a candidature in another campaign stays, for that one.
    prisma.eleve.deleteMany({ where: { ine: { in: [...new Set(lot.map((c) => c.ine))] }, candidatures: { none: {} } } }),
  ]);
  return {
    ...comptes,
    voeux: voeux.count,
    evenements: evenements.count,
    rappels: rappels.count,
    courriels,
    incidents: incidents.count,
    placements: placements.count,
    candidatures: candidatures.count,
    eleves: eleves.count,
  };
}

/** The access journal's rows older than `avant`: its own retention. */
export async function purgerJournal(prisma: PrismaClient, avant: Date): Promise<number> {
  const { count } = await prisma.journalAcces.deleteMany({ where: { survenuLe: { lt: avant } } });
  return count;
}

/** A purge's record, once per run (`cle`): what, how many, when, and who started it. */
export interface PurgeRecord {
  cle: string;
  campagne: string | null;
  declencheur: string;
  debut: string;
  fin: string;
  comptes: ComptesPurge | { lectures: number };
}

export async function enregistrerPurge(prisma: PrismaClient, p: PurgeRecord): Promise<void> {
  await prisma.purge.upsert({
    where: { cle: p.cle },
    create: { cle: p.cle, campagneId: p.campagne, declencheur: p.declencheur, debut: new Date(p.debut), fin: new Date(p.fin), comptes: p.comptes as unknown as Prisma.InputJsonObject },
    update: {},
  });
}
