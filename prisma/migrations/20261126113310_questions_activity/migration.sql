-- CreateTable
CREATE TABLE "Question" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "askerId" INTEGER NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'open',
    "askedAt" DATETIME NOT NULL,
    "firstAnsweredAt" DATETIME,
    "closedAt" DATETIME,
    "closedById" INTEGER
);

-- CreateTable
CREATE TABLE "QuestionAnswer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "questionId" INTEGER NOT NULL,
    "authorId" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "answeredAt" DATETIME NOT NULL,
    CONSTRAINT "QuestionAnswer_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ActivityReport" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "memberId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "platforms" TEXT NOT NULL DEFAULT '',
    "youthContacts" INTEGER NOT NULL DEFAULT 0,
    "parentContacts" INTEGER NOT NULL DEFAULT 0,
    "themes" TEXT NOT NULL DEFAULT '',
    "otherThemes" TEXT,
    "actions" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Question_askerId_idx" ON "Question"("askerId");

-- CreateIndex
CREATE INDEX "Question_state_askedAt_idx" ON "Question"("state", "askedAt");

-- CreateIndex
CREATE INDEX "QuestionAnswer_questionId_idx" ON "QuestionAnswer"("questionId");

-- CreateIndex
CREATE INDEX "ActivityReport_month_idx" ON "ActivityReport"("month");

-- CreateIndex
CREATE UNIQUE INDEX "ActivityReport_memberId_month_key" ON "ActivityReport"("memberId", "month");
