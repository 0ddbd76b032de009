-- CreateIndex
CREATE INDEX "Candidature_campagneId_etape_uaiAccueil_domaine_idx" ON "Candidature"("campagneId", "etape", "uaiAccueil", "domaine");

