-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "directoryLastName" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "erasedAt" TIMESTAMP(3);
