-- CreateTable
CREATE TABLE "Etablissement" (
    "uai" TEXT NOT NULL,
    "nom" TEXT NOT NULL,
    "commune" TEXT NOT NULL,
    "codeCommune" TEXT NOT NULL,

    CONSTRAINT "Etablissement_pkey" PRIMARY KEY ("uai")
);

-- CreateTable
CREATE TABLE "Domaine" (
    "code" TEXT NOT NULL,
    "libelle" TEXT NOT NULL,

    CONSTRAINT "Domaine_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Formation" (
    "code" TEXT NOT NULL,
    "mnemonique" TEXT NOT NULL,
    "libelle" TEXT NOT NULL,
    "domaineCode" TEXT NOT NULL,

    CONSTRAINT "Formation_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Offre" (
    "formationCode" TEXT NOT NULL,
    "uai" TEXT NOT NULL,
    "modalite" TEXT NOT NULL,

    CONSTRAINT "Offre_pkey" PRIMARY KEY ("formationCode","uai")
);

-- CreateTable
CREATE TABLE "Campagne" (
    "id" TEXT NOT NULL,
    "academie" TEXT NOT NULL,
    "libelle" TEXT NOT NULL,
    "donnees" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campagne_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Formation_domaineCode_idx" ON "Formation"("domaineCode");

-- CreateIndex
CREATE INDEX "Offre_uai_idx" ON "Offre"("uai");

-- AddForeignKey
ALTER TABLE "Formation" ADD CONSTRAINT "Formation_domaineCode_fkey" FOREIGN KEY ("domaineCode") REFERENCES "Domaine"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offre" ADD CONSTRAINT "Offre_formationCode_fkey" FOREIGN KEY ("formationCode") REFERENCES "Formation"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offre" ADD CONSTRAINT "Offre_uai_fkey" FOREIGN KEY ("uai") REFERENCES "Etablissement"("uai") ON DELETE CASCADE ON UPDATE CASCADE;

