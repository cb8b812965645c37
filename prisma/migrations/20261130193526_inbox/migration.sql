-- CreateTable
CREATE TABLE "InboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "memberId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT,
    "text" TEXT NOT NULL,
    "components" TEXT,
    "createdAt" DATETIME NOT NULL,
    "readAt" DATETIME,
    CONSTRAINT "InboxMessage_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "InboxMessage_memberId_createdAt_idx" ON "InboxMessage"("memberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboxMessage_memberId_key_key" ON "InboxMessage"("memberId", "key");
