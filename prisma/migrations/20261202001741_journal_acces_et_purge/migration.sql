-- CreateTable
CREATE TABLE "JournalAcces" (
    "id" BIGSERIAL NOT NULL,
    "survenuLe" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acteurNom" TEXT NOT NULL,
    "acteurRole" TEXT NOT NULL,
    "acteurUai" TEXT,
    "nature" TEXT NOT NULL,
    "candidatureId" TEXT,
    "details" JSONB,

    CONSTRAINT "JournalAcces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Purge" (
    "id" BIGSERIAL NOT NULL,
    "cle" TEXT NOT NULL,
    "campagneId" TEXT,
    "declencheur" TEXT NOT NULL,
    "debut" TIMESTAMP(3) NOT NULL,
    "fin" TIMESTAMP(3) NOT NULL,
    "comptes" JSONB NOT NULL,

    CONSTRAINT "Purge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JournalAcces_survenuLe_idx" ON "JournalAcces"("survenuLe");

-- CreateIndex
CREATE INDEX "JournalAcces_candidatureId_survenuLe_idx" ON "JournalAcces"("candidatureId", "survenuLe");

-- CreateIndex
CREATE UNIQUE INDEX "Purge_cle_key" ON "Purge"("cle");

