-- Until now the platform avatar (Discord, Slack) was copied silently into Member.photoUrl at first
-- contact. A photo is kept only where the member (or the animator, on their request) set one: every
-- such change is in the audit log as a profile.update / member.update / member.create entry whose
-- details name "photoUrl". Every other photo is the silently stored avatar and is cleared.
-- Limit: a member who set, by hand, exactly the avatar URL already stored left no audit entry (no
-- change); that photo is cleared too and can be set again with /profil modifier photo:….
UPDATE "Member" SET "photoUrl" = NULL
WHERE "photoUrl" IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM "AuditLog" AS a
    WHERE a."targetType" = 'member'
      AND a."targetId" = CAST("Member"."id" AS TEXT)
      AND a."action" IN ('profile.update', 'member.update', 'member.create')
      AND a."details" LIKE '%"photoUrl"%'
  );
