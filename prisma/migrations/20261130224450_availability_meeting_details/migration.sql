-- AlterTable
ALTER TABLE "AvailabilityPoll" ADD COLUMN "capacity" INTEGER;
ALTER TABLE "AvailabilityPoll" ADD COLUMN "place" TEXT;
ALTER TABLE "AvailabilityPoll" ADD COLUMN "visioUrl" TEXT;
