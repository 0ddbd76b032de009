-- AlterTable
ALTER TABLE "Candidature" ADD COLUMN     "bonusAccorde" BOOLEAN,
ADD COLUMN     "compteRendu" TEXT,
ADD COLUMN     "compteRenduEnRetard" BOOLEAN,
ADD COLUMN     "compteRenduLe" TIMESTAMP(3),
ADD COLUMN     "confirmationFamilleLe" TIMESTAMP(3),
ADD COLUMN     "domaineLibelle" TEXT,
ADD COLUMN     "entretienDate" TEXT,
ADD COLUMN     "entretienHeure" TEXT,
ADD COLUMN     "entretienLieu" TEXT,
ADD COLUMN     "entretienMode" TEXT,
ADD COLUMN     "entretienStatut" TEXT,
ADD COLUMN     "ficheRecapitulativeLe" TIMESTAMP(3),
ADD COLUMN     "inscritLe" TIMESTAMP(3),
ADD COLUMN     "retards" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "saisieAffelnetLe" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Voeu" ADD COLUMN     "avisOrigineEnRetard" BOOLEAN;

-- CreateTable
CREATE TABLE "Rappel" (
    "id" BIGSERIAL NOT NULL,
    "cle" TEXT NOT NULL,
    "candidatureId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "destinataire" TEXT NOT NULL,
    "echeance" TIMESTAMP(3),
    "message" TEXT NOT NULL,
    "creeLe" TIMESTAMP(3) NOT NULL,
    "digestCle" TEXT,
    "digestLe" TIMESTAMP(3),

    CONSTRAINT "Rappel_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Rappel_cle_key" ON "Rappel"("cle");

-- CreateIndex
CREATE INDEX "Rappel_digestCle_destinataire_idx" ON "Rappel"("digestCle", "destinataire");

-- CreateIndex
CREATE INDEX "Rappel_candidatureId_idx" ON "Rappel"("candidatureId");

-- AddForeignKey
ALTER TABLE "Rappel" ADD CONSTRAINT "Rappel_candidatureId_fkey" FOREIGN KEY ("candidatureId") REFERENCES "Candidature"("id") ON DELETE CASCADE ON UPDATE CASCADE;

