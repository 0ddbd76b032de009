-- CreateTable
CREATE TABLE "Creneau" (
    "id" BIGSERIAL NOT NULL,
    "campagneId" TEXT NOT NULL,
    "uai" TEXT NOT NULL,
    "domaine" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "heure" TEXT NOT NULL,
    "dureeMinutes" INTEGER NOT NULL,
    "debut" TIMESTAMP(3) NOT NULL,
    "fin" TIMESTAMP(3) NOT NULL,
    "lieu" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "capacite" INTEGER NOT NULL,
    "annuleLe" TIMESTAMP(3),
    "creePar" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Creneau_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Placement" (
    "candidatureId" TEXT NOT NULL,
    "creneauId" BIGINT NOT NULL,
    "placeLe" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Placement_pkey" PRIMARY KEY ("candidatureId")
);

-- CreateTable
CREATE TABLE "ReglageCreneaux" (
    "uai" TEXT NOT NULL,
    "placementAutomatique" BOOLEAN NOT NULL DEFAULT false,
    "modifiePar" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReglageCreneaux_pkey" PRIMARY KEY ("uai")
);

-- CreateTable
CREATE TABLE "CalendrierEcole" (
    "uai" TEXT NOT NULL,
    "jetonHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CalendrierEcole_pkey" PRIMARY KEY ("uai")
);

-- CreateIndex
CREATE INDEX "Creneau_campagneId_uai_domaine_debut_idx" ON "Creneau"("campagneId", "uai", "domaine", "debut");

-- CreateIndex
CREATE UNIQUE INDEX "Creneau_uai_domaine_debut_lieu_key" ON "Creneau"("uai", "domaine", "debut", "lieu");

-- CreateIndex
CREATE INDEX "Placement_creneauId_idx" ON "Placement"("creneauId");

-- CreateIndex
CREATE UNIQUE INDEX "CalendrierEcole_jetonHash_key" ON "CalendrierEcole"("jetonHash");

-- AddForeignKey
ALTER TABLE "Placement" ADD CONSTRAINT "Placement_creneauId_fkey" FOREIGN KEY ("creneauId") REFERENCES "Creneau"("id") ON DELETE CASCADE ON UPDATE CASCADE;

