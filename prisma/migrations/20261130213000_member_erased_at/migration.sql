-- AlterTable
ALTER TABLE "Member" ADD COLUMN "erasedAt" DATETIME;
