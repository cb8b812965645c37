-- CreateTable
CREATE TABLE "WatchSource" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "url" TEXT NOT NULL,
    "urlKey" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "origin" TEXT NOT NULL DEFAULT 'animateur',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "addedById" INTEGER,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "etag" TEXT,
    "lastModified" TEXT,
    "primedAt" DATETIME,
    "lastFetchAt" DATETIME,
    "lastSuccessAt" DATETIME,
    "nextFetchAt" DATETIME,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "failingSince" DATETIME,
    "lastError" TEXT,
    "alertedAt" DATETIME
);

-- CreateTable
CREATE TABLE "WatchSeen" (
    "sourceId" INTEGER NOT NULL,
    "idHash" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,

    PRIMARY KEY ("sourceId", "idHash"),
    CONSTRAINT "WatchSeen_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "WatchSource" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WatchItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" INTEGER,
    "sharedById" INTEGER,
    "title" TEXT NOT NULL,
    "link" TEXT NOT NULL,
    "linkKey" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "summary" TEXT,
    "comment" TEXT,
    "publishedAt" DATETIME NOT NULL,
    "collectedAt" DATETIME NOT NULL,
    "digestId" INTEGER,
    CONSTRAINT "WatchItem_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "WatchSource" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "WatchItem_digestId_fkey" FOREIGN KEY ("digestId") REFERENCES "WatchDigest" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WatchDigest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "occurrence" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "WatchSource_urlKey_key" ON "WatchSource"("urlKey");

-- CreateIndex
CREATE INDEX "WatchSource_active_nextFetchAt_idx" ON "WatchSource"("active", "nextFetchAt");

-- CreateIndex
CREATE UNIQUE INDEX "WatchItem_linkKey_key" ON "WatchItem"("linkKey");

-- CreateIndex
CREATE INDEX "WatchItem_digestId_collectedAt_idx" ON "WatchItem"("digestId", "collectedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WatchDigest_occurrence_key" ON "WatchDigest"("occurrence");
