-- CreateTable
CREATE TABLE "Incident" (
    "id" BIGSERIAL NOT NULL,
    "cle" TEXT NOT NULL,
    "candidatureId" TEXT NOT NULL,
    "campagneId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "annulee" BOOLEAN NOT NULL,
    "survenuLe" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Incident_cle_key" ON "Incident"("cle");

-- CreateIndex
CREATE INDEX "Incident_campagneId_idx" ON "Incident"("campagneId");

