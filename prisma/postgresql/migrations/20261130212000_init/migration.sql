-- CreateEnum
CREATE TYPE "MemberKind" AS ENUM ('JEUNESSE', 'PARENTALITE');

-- CreateEnum
CREATE TYPE "MemberStatus" AS ENUM ('CANDIDATE', 'ONBOARDING', 'ACTIVE', 'INACTIVE', 'EXCLUDED');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('PROMENEUR', 'ANIMATEUR', 'REFERENT_CAF', 'ADMIN');

-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('DISCORD', 'SLACK', 'CONSOLE');

-- CreateTable
CREATE TABLE "Member" (
    "id" SERIAL NOT NULL,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT,
    "displayName" TEXT NOT NULL,
    "structure" TEXT,
    "kind" "MemberKind",
    "commune" TEXT,
    "email" TEXT,
    "contact" TEXT,
    "networks" TEXT NOT NULL DEFAULT '',
    "photoUrl" TEXT,
    "directoryConsent" BOOLEAN NOT NULL DEFAULT false,
    "status" "MemberStatus" NOT NULL DEFAULT 'ONBOARDING',
    "role" "Role" NOT NULL DEFAULT 'PROMENEUR',
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leftAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlatformAccount" (
    "id" SERIAL NOT NULL,
    "platform" "Platform" NOT NULL,
    "externalId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL DEFAULT '',
    "displayName" TEXT,
    "memberId" INTEGER NOT NULL,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlatformAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" INTEGER,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" INTEGER,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "details" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "dueAt" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 5,
    "leaseUntil" TIMESTAMP(3),
    "lockedBy" TEXT,
    "lastError" TEXT,
    "dedupeKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" SERIAL NOT NULL,
    "jobId" INTEGER NOT NULL,
    "recipient" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "error" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WatchSource" (
    "id" SERIAL NOT NULL,
    "url" TEXT NOT NULL,
    "urlKey" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "origin" TEXT NOT NULL DEFAULT 'animateur',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "addedById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "etag" TEXT,
    "lastModified" TEXT,
    "primedAt" TIMESTAMP(3),
    "lastFetchAt" TIMESTAMP(3),
    "lastSuccessAt" TIMESTAMP(3),
    "nextFetchAt" TIMESTAMP(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "failingSince" TIMESTAMP(3),
    "lastError" TEXT,
    "alertedAt" TIMESTAMP(3),

    CONSTRAINT "WatchSource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WatchSeen" (
    "sourceId" INTEGER NOT NULL,
    "idHash" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WatchSeen_pkey" PRIMARY KEY ("sourceId","idHash")
);

-- CreateTable
CREATE TABLE "WatchItem" (
    "id" SERIAL NOT NULL,
    "sourceId" INTEGER,
    "sharedById" INTEGER,
    "title" TEXT NOT NULL,
    "link" TEXT NOT NULL,
    "linkKey" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "summary" TEXT,
    "comment" TEXT,
    "publishedAt" TIMESTAMP(3) NOT NULL,
    "collectedAt" TIMESTAMP(3) NOT NULL,
    "digestId" INTEGER,

    CONSTRAINT "WatchItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WatchDigest" (
    "id" SERIAL NOT NULL,
    "occurrence" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WatchDigest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PostedMessage" (
    "id" SERIAL NOT NULL,
    "subject" TEXT NOT NULL,
    "subjectId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'channel',
    "platform" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PostedMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Announcement" (
    "id" SERIAL NOT NULL,
    "title" TEXT,
    "text" TEXT NOT NULL,
    "audience" TEXT NOT NULL DEFAULT 'tous',
    "dmCopy" BOOLEAN NOT NULL DEFAULT false,
    "pinned" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'published',
    "authorId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Announcement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Poll" (
    "id" SERIAL NOT NULL,
    "question" TEXT NOT NULL,
    "multiple" BOOLEAN NOT NULL DEFAULT false,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "audience" TEXT NOT NULL DEFAULT 'tous',
    "closesAt" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'open',
    "closedAt" TIMESTAMP(3),
    "resultPostedAt" TIMESTAMP(3),
    "voterSalt" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "renderedVersion" INTEGER NOT NULL DEFAULT 0,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "namesVisible" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Poll_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PollOption" (
    "id" SERIAL NOT NULL,
    "pollId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "label" TEXT NOT NULL,

    CONSTRAINT "PollOption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Vote" (
    "id" SERIAL NOT NULL,
    "pollId" INTEGER NOT NULL,
    "optionId" INTEGER NOT NULL,
    "voterKey" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "memberId" INTEGER,

    CONSTRAINT "Vote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AvailabilityPoll" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "closesAt" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'open',
    "closedAt" TIMESTAMP(3),
    "chosenSlotId" INTEGER,
    "chosenBy" TEXT,
    "meetingId" TEXT,
    "meetingError" TEXT,
    "resultPostedAt" TIMESTAMP(3),
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AvailabilityPoll_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AvailabilitySlot" (
    "id" SERIAL NOT NULL,
    "pollId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AvailabilitySlot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AvailabilityAnswer" (
    "id" SERIAL NOT NULL,
    "slotId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,
    "answeredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AvailabilityAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingSurvey" (
    "id" SERIAL NOT NULL,
    "year" INTEGER NOT NULL,
    "themes" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'open',
    "closesAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingSurvey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingTick" (
    "id" SERIAL NOT NULL,
    "surveyId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "theme" TEXT NOT NULL,

    CONSTRAINT "TrainingTick_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingNeed" (
    "id" SERIAL NOT NULL,
    "surveyId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingNeed_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" SERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "place" TEXT,
    "visioUrl" TEXT,
    "audience" TEXT NOT NULL,
    "capacity" INTEGER,
    "reminders" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "cancelReason" TEXT,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "invitedAt" TIMESTAMP(3),
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rsvp" (
    "id" SERIAL NOT NULL,
    "meetingId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,
    "answeredAt" TIMESTAMP(3) NOT NULL,
    "waitlistedAt" TIMESTAMP(3),

    CONSTRAINT "Rsvp_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attendance" (
    "id" SERIAL NOT NULL,
    "meetingId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "recordedById" INTEGER,

    CONSTRAINT "Attendance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingPost" (
    "id" SERIAL NOT NULL,
    "meetingId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MeetingPost_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OnboardingJourney" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'active',
    "startedAt" TIMESTAMP(3) NOT NULL,
    "startedById" INTEGER,
    "origin" TEXT NOT NULL,
    "originChannelId" TEXT,
    "lastProgressAt" TIMESTAMP(3) NOT NULL,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "completedAt" TIMESTAMP(3),
    "completedById" INTEGER,
    "overrideReason" TEXT,
    "stoppedAt" TIMESTAMP(3),
    "stopReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OnboardingJourney_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OnboardingStep" (
    "id" SERIAL NOT NULL,
    "journeyId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "doneAt" TIMESTAMP(3) NOT NULL,
    "details" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "OnboardingStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Question" (
    "id" SERIAL NOT NULL,
    "askerId" INTEGER NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'open',
    "askedAt" TIMESTAMP(3) NOT NULL,
    "firstAnsweredAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "closedById" INTEGER,

    CONSTRAINT "Question_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuestionAnswer" (
    "id" SERIAL NOT NULL,
    "questionId" INTEGER NOT NULL,
    "authorId" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "answeredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QuestionAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActivityReport" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "platforms" TEXT NOT NULL DEFAULT '',
    "youthContacts" INTEGER NOT NULL DEFAULT 0,
    "parentContacts" INTEGER NOT NULL DEFAULT 0,
    "themes" TEXT NOT NULL DEFAULT '',
    "otherThemes" TEXT,
    "actions" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ActivityReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboxMessage" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT,
    "text" TEXT NOT NULL,
    "components" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "readAt" TIMESTAMP(3),

    CONSTRAINT "InboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Member_email_key" ON "Member"("email");

-- CreateIndex
CREATE INDEX "Member_status_directoryConsent_idx" ON "Member"("status", "directoryConsent");

-- CreateIndex
CREATE INDEX "Member_displayName_idx" ON "Member"("displayName");

-- CreateIndex
CREATE INDEX "PlatformAccount_memberId_idx" ON "PlatformAccount"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "PlatformAccount_platform_externalId_key" ON "PlatformAccount"("platform", "externalId");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "AuditLog_targetType_targetId_idx" ON "AuditLog"("targetType", "targetId");

-- CreateIndex
CREATE UNIQUE INDEX "Job_dedupeKey_key" ON "Job"("dedupeKey");

-- CreateIndex
CREATE INDEX "Job_state_dueAt_idx" ON "Job"("state", "dueAt");

-- CreateIndex
CREATE INDEX "Job_kind_state_idx" ON "Job"("kind", "state");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_jobId_recipient_key" ON "Delivery"("jobId", "recipient");

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

-- CreateIndex
CREATE INDEX "Meeting_status_startsAt_idx" ON "Meeting"("status", "startsAt");

-- CreateIndex
CREATE INDEX "Rsvp_memberId_idx" ON "Rsvp"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "Rsvp_meetingId_memberId_key" ON "Rsvp"("meetingId", "memberId");

-- CreateIndex
CREATE UNIQUE INDEX "Attendance_meetingId_memberId_key" ON "Attendance"("meetingId", "memberId");

-- CreateIndex
CREATE UNIQUE INDEX "MeetingPost_meetingId_platform_kind_key" ON "MeetingPost"("meetingId", "platform", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "OnboardingJourney_memberId_key" ON "OnboardingJourney"("memberId");

-- CreateIndex
CREATE INDEX "OnboardingJourney_state_idx" ON "OnboardingJourney"("state");

-- CreateIndex
CREATE UNIQUE INDEX "OnboardingStep_journeyId_key_key" ON "OnboardingStep"("journeyId", "key");

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

-- CreateIndex
CREATE INDEX "InboxMessage_memberId_createdAt_idx" ON "InboxMessage"("memberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboxMessage_memberId_key_key" ON "InboxMessage"("memberId", "key");

-- AddForeignKey
ALTER TABLE "PlatformAccount" ADD CONSTRAINT "PlatformAccount_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WatchSeen" ADD CONSTRAINT "WatchSeen_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "WatchSource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WatchItem" ADD CONSTRAINT "WatchItem_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "WatchSource"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WatchItem" ADD CONSTRAINT "WatchItem_digestId_fkey" FOREIGN KEY ("digestId") REFERENCES "WatchDigest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PollOption" ADD CONSTRAINT "PollOption_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vote" ADD CONSTRAINT "Vote_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vote" ADD CONSTRAINT "Vote_optionId_fkey" FOREIGN KEY ("optionId") REFERENCES "PollOption"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AvailabilitySlot" ADD CONSTRAINT "AvailabilitySlot_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "AvailabilityPoll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AvailabilityAnswer" ADD CONSTRAINT "AvailabilityAnswer_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "AvailabilitySlot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingTick" ADD CONSTRAINT "TrainingTick_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "TrainingSurvey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingNeed" ADD CONSTRAINT "TrainingNeed_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "TrainingSurvey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rsvp" ADD CONSTRAINT "Rsvp_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingPost" ADD CONSTRAINT "MeetingPost_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OnboardingStep" ADD CONSTRAINT "OnboardingStep_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "OnboardingJourney"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionAnswer" ADD CONSTRAINT "QuestionAnswer_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboxMessage" ADD CONSTRAINT "InboxMessage_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
