-- CreateTable
CREATE TABLE "PostedMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "subject" TEXT NOT NULL,
    "subjectId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'channel',
    "platform" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Announcement" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT,
    "text" TEXT NOT NULL,
    "audience" TEXT NOT NULL DEFAULT 'tous',
    "dmCopy" BOOLEAN NOT NULL DEFAULT false,
    "pinned" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'published',
    "authorId" INTEGER,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Poll" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "question" TEXT NOT NULL,
    "multiple" BOOLEAN NOT NULL DEFAULT false,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "audience" TEXT NOT NULL DEFAULT 'tous',
    "closesAt" DATETIME NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'open',
    "closedAt" DATETIME,
    "resultPostedAt" DATETIME,
    "voterSalt" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "renderedVersion" INTEGER NOT NULL DEFAULT 0,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PollOption" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pollId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    CONSTRAINT "PollOption_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Vote" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pollId" INTEGER NOT NULL,
    "optionId" INTEGER NOT NULL,
    "voterKey" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "memberId" INTEGER,
    CONSTRAINT "Vote_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Vote_optionId_fkey" FOREIGN KEY ("optionId") REFERENCES "PollOption" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AvailabilityPoll" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "closesAt" DATETIME NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'open',
    "closedAt" DATETIME,
    "chosenSlotId" INTEGER,
    "chosenBy" TEXT,
    "meetingId" TEXT,
    "meetingError" TEXT,
    "resultPostedAt" DATETIME,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AvailabilitySlot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pollId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    CONSTRAINT "AvailabilitySlot_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "AvailabilityPoll" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AvailabilityAnswer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slotId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,
    "answeredAt" DATETIME NOT NULL,
    CONSTRAINT "AvailabilityAnswer_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "AvailabilitySlot" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TrainingSurvey" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "year" INTEGER NOT NULL,
    "themes" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'open',
    "closesAt" DATETIME,
    "closedAt" DATETIME,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TrainingTick" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "surveyId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "theme" TEXT NOT NULL,
    CONSTRAINT "TrainingTick_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "TrainingSurvey" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TrainingNeed" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "surveyId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "TrainingNeed_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "TrainingSurvey" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "PostedMessage_subject_subjectId_idx" ON "PostedMessage"("subject", "subjectId");

-- CreateIndex
CREATE UNIQUE INDEX "PostedMessage_platform_channelId_messageId_key" ON "PostedMessage"("platform", "channelId", "messageId");

-- CreateIndex
CREATE INDEX "Poll_state_closesAt_idx" ON "Poll"("state", "closesAt");

-- CreateIndex
CREATE UNIQUE INDEX "PollOption_pollId_position_key" ON "PollOption"("pollId", "position");

-- CreateIndex
CREATE INDEX "Vote_optionId_idx" ON "Vote"("optionId");

-- CreateIndex
CREATE UNIQUE INDEX "Vote_pollId_voterKey_slot_key" ON "Vote"("pollId", "voterKey", "slot");

-- CreateIndex
CREATE INDEX "AvailabilityPoll_state_closesAt_idx" ON "AvailabilityPoll"("state", "closesAt");

-- CreateIndex
CREATE UNIQUE INDEX "AvailabilitySlot_pollId_position_key" ON "AvailabilitySlot"("pollId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "AvailabilityAnswer_slotId_memberId_key" ON "AvailabilityAnswer"("slotId", "memberId");

-- CreateIndex
CREATE INDEX "TrainingSurvey_year_idx" ON "TrainingSurvey"("year");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingTick_surveyId_memberId_theme_key" ON "TrainingTick"("surveyId", "memberId", "theme");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingNeed_surveyId_memberId_key" ON "TrainingNeed"("surveyId", "memberId");
