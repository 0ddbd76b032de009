// `npm run seed`: loads the catalogue (domain/catalogue/catalogue.json) and the campagnes
// (domain/campaigns/*.json) into the database. Every file is read and validated before anything is
// written, and a bad one is named with its field; the writes are upserts in one transaction, so running
// it again gives the same rows. The offers of a formation follow the file (an offer it no longer lists goes).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CampagneInvalideError, parseCampagne, type Campagne } from '../domain/campaign';
import { CatalogueInvalideError, parseCatalogue, type Catalogue } from '../domain/catalogue';
import { openMigratedDatabase, type PrismaClient } from '../platform/database';
import { configOrExit } from './process';
import { projectRoot } from '../platform/paths';

export interface FichiersSeed {
  catalogue: string;
  campagnes: string[];
}

const dossierCampagnes = path.join(projectRoot, 'domain', 'campaigns');

export function fichiersParDefaut(): FichiersSeed {
  return {
    catalogue: path.join(projectRoot, 'domain', 'catalogue', 'catalogue.json'),
    campagnes: readdirSync(dossierCampagnes)
      .filter((nom) => nom.endsWith('.json'))
      .sort()
      .map((nom) => path.join(dossierCampagnes, nom)),
  };
}

export class SeedInvalideError extends Error {
  constructor(fichier: string, problemes: string[]) {
    const relatif = path.relative(projectRoot, fichier);
    super(`${relatif.startsWith('..') ? fichier : relatif} : ${problemes.join(' ; ')}`);
    this.name = 'SeedInvalideError';
  }
}

/** Reads and validates one file; its problems (JSON syntax, or each field) are reported under its name. */
function lire<T>(fichier: string, valider: (json: unknown) => T): T {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(fichier, 'utf8'));
  } catch (error) {
    throw new SeedInvalideError(fichier, [`JSON illisible (${(error as Error).message})`]);
  }
  try {
    return valider(json);
  } catch (error) {
    if (error instanceof CampagneInvalideError || error instanceof CatalogueInvalideError) throw new SeedInvalideError(fichier, error.problemes);
    throw error;
  }
}

export interface ComptesSeed {
  etablissements: number;
  domaines: number;
  formations: number;
  offres: number;
  campagnes: number;
}

/** Upserts validated campagnes (the seed's files, and the demo's own). */
export async function enregistrerCampagnes(prisma: Pick<PrismaClient, 'campagne'>, campagnes: readonly Campagne[]): Promise<void> {
  for (const campagne of campagnes) {
    const { id, academie, libelle } = campagne;
    const donnees = campagne as object;
    await prisma.campagne.upsert({ where: { id }, create: { id, academie, libelle, donnees }, update: { academie, libelle, donnees } });
  }
}

async function ecrire(prisma: PrismaClient, catalogue: Catalogue, campagnes: Campagne[]): Promise<void> {
  await prisma.$transaction(
    async (tx) => {
      for (const { uai, ...e } of catalogue.etablissements) {
        await tx.etablissement.upsert({ where: { uai }, create: { uai, ...e }, update: e });
      }
      for (const domaine of catalogue.domaines) {
        const { code: domaineCode, libelle } = domaine;
        await tx.domaine.upsert({ where: { code: domaineCode }, create: { code: domaineCode, libelle }, update: { libelle } });
        for (const { code, mnemonique, libelle: libelleFormation, offres } of domaine.formations) {
          const formation = { mnemonique, libelle: libelleFormation, domaineCode };
          await tx.formation.upsert({ where: { code }, create: { code, ...formation }, update: formation });
          await tx.offre.deleteMany({ where: { formationCode: code, uai: { notIn: offres.map((o) => o.uai) } } });
          for (const { uai, modalite, interAcademique = false } of offres) {
            await tx.offre.upsert({
              where: { formationCode_uai: { formationCode: code, uai } },
              create: { formationCode: code, uai, modalite, interAcademique },
              update: { modalite, interAcademique },
            });
          }
        }
      }
      await enregistrerCampagnes(tx, campagnes);
    },
    // A few hundred upserts: PGlite on a busy machine needs more than Prisma's default 5 s.
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** Validates every file, then writes; nothing is written when one file is wrong. */
export async function seed(prisma: PrismaClient, fichiers: FichiersSeed = fichiersParDefaut()): Promise<ComptesSeed> {
  const catalogue = lire(fichiers.catalogue, parseCatalogue);
  const campagnes = fichiers.campagnes.map((fichier) => lire(fichier, parseCampagne));
  await ecrire(prisma, catalogue, campagnes);
  const [etablissements, domaines, formations, offres, nbCampagnes] = await Promise.all([
    prisma.etablissement.count(),
    prisma.domaine.count(),
    prisma.formation.count(),
    prisma.offre.count(),
    prisma.campagne.count(),
  ]);
  return { etablissements, domaines, formations, offres, campagnes: nbCampagnes };
}

/**
 * At the API's start: the catalogue the API checks vœux against is the database's, loaded from the files
 * when it holds no offer (a new database); otherwise it is left as the SAIO made it.
 */
export async function seedSiVide(prisma: PrismaClient, fichiers: FichiersSeed = fichiersParDefaut()): Promise<ComptesSeed | null> {
  if ((await prisma.offre.count()) > 0) return null;
  return seed(prisma, fichiers);
}

async function main(): Promise<void> {
  const config = configOrExit();
  const db = await openMigratedDatabase(config.DATABASE_URL);
  try {
    const comptes = await seed(db.prisma);
    console.log(`base chargée (${config.DATABASE_URL}) : ${Object.entries(comptes).map(([table, n]) => `${n} ${table}`).join(', ')}`);
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof SeedInvalideError ? `seed refusé — ${error.message}` : error);
    process.exit(1);
  });
}
