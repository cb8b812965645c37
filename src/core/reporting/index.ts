// The dashboard (/tableau) and the annual evaluation (/bilan), as the app builds them: each report
// is computed in a child process on the bot's database (apart.ts), in BOT_TIMEZONE.
import type { Role } from "../../store/index.js";
import type { Clock } from "../../shared/clock.js";
import { defineFeature } from "../feature.js";
import type { Reply } from "../reply.js";
import { dashboardApart, evaluationApart } from "./apart.js";
import type { Evaluation } from "./workbook.js";

export class Reporting {
  constructor(private readonly deps: { databaseUrl: string; clock: Clock; timeZone: string }) {}

  /** The year's dashboard against the objectives, as `viewerRole` may see it. */
  dashboard(year: number, viewerRole: Role): Promise<Reply> {
    return dashboardApart({ databaseUrl: this.deps.databaseUrl, options: this.options(year, viewerRole) });
  }

  /** The year's evaluation: the workbook and its Markdown summary. */
  evaluation(year: number, viewerRole: Role): Promise<Evaluation> {
    return evaluationApart({ databaseUrl: this.deps.databaseUrl, options: this.options(year, viewerRole) });
  }

  private options(year: number, viewerRole: Role) {
    return { year, timeZone: this.deps.timeZone, now: this.deps.clock.now(), viewerRole };
  }
}

export const reportingFeature = defineFeature({
  name: "reporting",
  needs: [],
  create: ({ config, clock, timeZone }) => new Reporting({ databaseUrl: config.DATABASE_URL, clock, timeZone }),
});
