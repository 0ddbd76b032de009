-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Eleve" (
    "ine" TEXT NOT NULL,
    "nom" TEXT NOT NULL,
    "prenom" TEXT NOT NULL,
    "niveau" TEXT NOT NULL,
    "uaiOrigine" TEXT NOT NULL,
    "referentNom" TEXT NOT NULL,
    "referentEmail" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Eleve_pkey" PRIMARY KEY ("ine")
);

-- CreateTable
CREATE TABLE "Candidature" (
    "id" TEXT NOT NULL,
    "campagneId" TEXT NOT NULL,
    "ine" TEXT NOT NULL,
    "domaine" TEXT NOT NULL,
    "modalite" TEXT NOT NULL,
    "uaiOrigine" TEXT NOT NULL,
    "uaiAccueil" TEXT NOT NULL,
    "etape" TEXT NOT NULL,
    "echeance" TIMESTAMP(3),
    "enRetard" BOOLEAN NOT NULL DEFAULT false,
    "etapeDepuis" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Candidature_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Voeu" (
    "candidatureId" TEXT NOT NULL,
    "codeFormation" TEXT NOT NULL,
    "libelle" TEXT NOT NULL,
    "uaiAccueil" TEXT NOT NULL,
    "rang" INTEGER NOT NULL,
    "ajouteEnEntretien" BOOLEAN NOT NULL DEFAULT false,
    "avisOrigine" TEXT,
    "commentaireOrigine" TEXT,
    "avisAccueil" TEXT,
    "avisFinal" TEXT,
    "bonus" INTEGER,

    CONSTRAINT "Voeu_pkey" PRIMARY KEY ("candidatureId","codeFormation")
);

-- CreateTable
CREATE TABLE "Evenement" (
    "id" BIGSERIAL NOT NULL,
    "cle" TEXT NOT NULL,
    "candidatureId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "acteurRole" TEXT NOT NULL,
    "acteurUai" TEXT,
    "acteurNom" TEXT NOT NULL,
    "survenuLe" TIMESTAMP(3) NOT NULL,
    "details" JSONB NOT NULL,

    CONSTRAINT "Evenement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Courriel" (
    "id" BIGSERIAL NOT NULL,
    "cle" TEXT NOT NULL,
    "candidatureId" TEXT,
    "gabarit" TEXT NOT NULL,
    "destinataires" TEXT[],
    "sujet" TEXT NOT NULL,
    "envoyeLe" TIMESTAMP(3),
    "messageId" TEXT,
    "tentatives" INTEGER NOT NULL DEFAULT 0,
    "derniereErreur" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Courriel_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Eleve_uaiOrigine_idx" ON "Eleve"("uaiOrigine");

-- CreateIndex
CREATE INDEX "Candidature_campagneId_etape_idx" ON "Candidature"("campagneId", "etape");

-- CreateIndex
CREATE INDEX "Candidature_uaiAccueil_etape_idx" ON "Candidature"("uaiAccueil", "etape");

-- CreateIndex
CREATE INDEX "Candidature_uaiOrigine_etape_idx" ON "Candidature"("uaiOrigine", "etape");

-- CreateIndex
CREATE INDEX "Candidature_enRetard_echeance_idx" ON "Candidature"("enRetard", "echeance");

-- CreateIndex
CREATE UNIQUE INDEX "Candidature_campagneId_ine_domaine_key" ON "Candidature"("campagneId", "ine", "domaine");

-- CreateIndex
CREATE UNIQUE INDEX "Evenement_cle_key" ON "Evenement"("cle");

-- CreateIndex
CREATE INDEX "Evenement_candidatureId_survenuLe_idx" ON "Evenement"("candidatureId", "survenuLe");

-- CreateIndex
CREATE UNIQUE INDEX "Courriel_cle_key" ON "Courriel"("cle");

-- CreateIndex
CREATE INDEX "Courriel_envoyeLe_idx" ON "Courriel"("envoyeLe");

-- AddForeignKey
ALTER TABLE "Candidature" ADD CONSTRAINT "Candidature_ine_fkey" FOREIGN KEY ("ine") REFERENCES "Eleve"("ine") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Voeu" ADD CONSTRAINT "Voeu_candidatureId_fkey" FOREIGN KEY ("candidatureId") REFERENCES "Candidature"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evenement" ADD CONSTRAINT "Evenement_candidatureId_fkey" FOREIGN KEY ("candidatureId") REFERENCES "Candidature"("id") ON DELETE CASCADE ON UPDATE CASCADE;

