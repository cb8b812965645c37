// The reports of abandoned tasks to the animator, as the app builds them.
import { defineFeature } from "../feature.js";
import { JobFailureReports } from "./report.js";

export const jobFailuresFeature = defineFeature({
  name: "jobFailures",
  needs: [],
  create: ({ services, timeZone, log }) => new JobFailureReports({ services, timeZone, log }),
  start: (reports, { onJobFailed }) => onJobFailed((failure) => reports.report(failure)),
});
