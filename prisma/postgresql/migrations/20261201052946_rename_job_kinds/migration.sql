-- Job kinds are named <feature>.<what> in lowercase English: the kinds still in French are renamed,
-- with the dedupe keys that embed them (a recurring occurrence is keyed "<kind>@<UTC minute>Z", a
-- missing-backup alert "<kind>@<backup file>"), so that the renamed rows keep their occurrence and
-- the bot does not plan it a second time under the new name. Data only: the schema is unchanged.
UPDATE "Job" SET "kind" = 'activity.reminder' WHERE "kind" = 'activite.rappel';
UPDATE "Job" SET "kind" = 'onboarding.followup' WHERE "kind" = 'onboarding.relance';
UPDATE "Job" SET "kind" = 'backup.daily' WHERE "kind" = 'sauvegarde.quotidienne';
UPDATE "Job" SET "kind" = 'backup.missing' WHERE "kind" = 'sauvegarde.manquante';
UPDATE "Job" SET "kind" = 'privacy.retention' WHERE "kind" = 'confidentialite.conservation';

UPDATE "Job" SET "dedupeKey" = 'activity.reminder' || substr("dedupeKey", length('activite.rappel') + 1) WHERE "dedupeKey" LIKE 'activite.rappel@%';
UPDATE "Job" SET "dedupeKey" = 'backup.daily' || substr("dedupeKey", length('sauvegarde.quotidienne') + 1) WHERE "dedupeKey" LIKE 'sauvegarde.quotidienne@%';
UPDATE "Job" SET "dedupeKey" = 'backup.missing' || substr("dedupeKey", length('sauvegarde.manquante') + 1) WHERE "dedupeKey" LIKE 'sauvegarde.manquante@%';
UPDATE "Job" SET "dedupeKey" = 'privacy.retention' || substr("dedupeKey", length('confidentialite.conservation') + 1) WHERE "dedupeKey" LIKE 'confidentialite.conservation@%';
