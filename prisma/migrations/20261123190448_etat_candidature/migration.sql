-- AlterTable
ALTER TABLE "Candidature" ADD COLUMN     "etat" JSONB;

