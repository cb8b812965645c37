-- CreateTable
CREATE TABLE "OnboardingJourney" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "memberId" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'active',
    "startedAt" DATETIME NOT NULL,
    "startedById" INTEGER,
    "origin" TEXT NOT NULL,
    "originChannelId" TEXT,
    "lastProgressAt" DATETIME NOT NULL,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "completedAt" DATETIME,
    "completedById" INTEGER,
    "overrideReason" TEXT,
    "stoppedAt" DATETIME,
    "stopReason" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OnboardingStep" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "journeyId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "doneAt" DATETIME NOT NULL,
    "details" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "OnboardingStep_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "OnboardingJourney" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "OnboardingJourney_memberId_key" ON "OnboardingJourney"("memberId");

-- CreateIndex
CREATE INDEX "OnboardingJourney_state_idx" ON "OnboardingJourney"("state");

-- CreateIndex
CREATE UNIQUE INDEX "OnboardingStep_journeyId_key_key" ON "OnboardingStep"("journeyId", "key");
