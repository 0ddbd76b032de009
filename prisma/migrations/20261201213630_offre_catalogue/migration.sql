-- AlterTable
ALTER TABLE "Offre" ADD COLUMN     "interAcademique" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "modifieePar" TEXT,
ADD COLUMN     "retireeLe" TIMESTAMP(3);

