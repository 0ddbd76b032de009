-- DropIndex
DROP INDEX "Candidature_campagneId_etape_idx";

-- CreateIndex
CREATE INDEX "Candidature_campagneId_etape_uaiAccueil_uaiOrigine_idx" ON "Candidature"("campagneId", "etape", "uaiAccueil", "uaiOrigine");

