// The animator's announcements (issue #4): the feature as the app builds it, and the public API for /annonce.
import { defineFeature, handle } from "../feature.js";
import { PostedMessages } from "../publication.js";
import { sendCopies } from "./jobs.js";
import { ANNOUNCEMENT_JOBS, type CopiesPayload } from "./planning.js";
import { AnnouncementService } from "./service.js";

export * from "./service.js";
export * from "./views.js";

export const announcementsFeature = defineFeature({
  name: "announcements",
  needs: [],
  create: ({ db, services, clock, timeZone, log }) => new AnnouncementService({ db, services, clock, timeZone, log, posted: new PostedMessages(db, () => clock.now()) }),
  jobs: (announcements) => ({
    [ANNOUNCEMENT_JOBS.copies]: handle<CopiesPayload>((job, ctx) => sendCopies(announcements, job.payload.announcementId, ctx)),
  }),
});
