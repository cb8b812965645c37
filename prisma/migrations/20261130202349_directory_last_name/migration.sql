-- The last name in the public directory only when the member chose it.
ALTER TABLE "Member" ADD COLUMN "directoryLastName" BOOLEAN NOT NULL DEFAULT false;
