-- CreateTable
CREATE TABLE "JetonRevoque" (
    "jti" TEXT NOT NULL,
    "revoqueLe" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "par" TEXT NOT NULL,
    "motif" TEXT,

    CONSTRAINT "JetonRevoque_pkey" PRIMARY KEY ("jti")
);

