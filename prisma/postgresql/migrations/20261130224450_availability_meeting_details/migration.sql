-- AlterTable
ALTER TABLE "AvailabilityPoll" ADD COLUMN     "capacity" INTEGER,
ADD COLUMN     "place" TEXT,
ADD COLUMN     "visioUrl" TEXT;
