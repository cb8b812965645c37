-- Audit actions are named <feature>.<what> in lowercase English, like the job kinds: the watch's
-- three actions still in French are renamed in the rows already written, so that a reader of the
-- audit log (and /mes-donnees) finds one name per action. Data only: the schema is unchanged.
UPDATE "AuditLog" SET "action" = 'watch.schedule' WHERE "action" = 'veille.horaire';
UPDATE "AuditLog" SET "action" = 'watch.source.add' WHERE "action" = 'veille.source.ajout';
UPDATE "AuditLog" SET "action" = 'watch.source.remove' WHERE "action" = 'veille.source.retrait';
