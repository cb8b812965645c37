// The animator's announcements (issue #4): the public API for commands and jobs.
export * from "./service.js";
export * from "./views.js";
export { ANNOUNCEMENT_JOBS, type CopiesPayload } from "./planning.js";
export { sendCopies } from "./jobs.js";
