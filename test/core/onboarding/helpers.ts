// A journey on a fresh database (Monday 2 March 2026, 09:00 in Paris), with its parts built the
// way the running bot builds them.
import type { PlatformUser } from "../../../src/core/interaction.js";
import { MeetingService } from "../../../src/core/meetings/index.js";
import { createOnboarding } from "../../../src/core/onboarding/index.js";
import type { RecordOutcome, Onboarding } from "../../../src/core/onboarding/service.js";
import { createLogger } from "../../../src/logger.js";
import { coreOnFreshStore } from "../../helpers/store.js";

const log = createLogger({ level: "silent", pretty: false });

export async function setUp() {
  const core = await coreOnFreshStore(); // Monday 2 March 2026, 09:00 in Paris
  const timeZone = "Europe/Paris";
  const db = core.store.prisma;
  const meetings = new MeetingService({ db, clock: core.clock, jobs: core.services.jobs, notifications: core.services.notifications, timeZone, log });
  const parts = createOnboarding({ db, services: core.services, clock: core.clock, timeZone, log, meetings });
  const admin = (await core.services.members.bootstrapAdmins(["console:root"]))[0]!;
  return { ...core, onboarding: parts.journeys, jobs: parts.jobs, arrivals: parts.arrivals, admin };
}

type World = Awaited<ReturnType<typeof setUp>>;

export const user = (platform: "discord" | "slack", id: string, displayName: string): PlatformUser => ({ platform, id, workspaceId: "W1", displayName });

const PROFILE = ["profil.formulaire", "profil.type", "profil.annuaire"];
const CHECKLIST = ["prenom_structure", "photo", "logo", "contact", "annuaire"].map((k) => `liste.${k}`);
export const UP_TO_PRESENTATION = ["accueil", "charte", ...PROFILE, ...CHECKLIST];

export async function walk(onboarding: Onboarding, memberId: number, keys: readonly string[]): Promise<RecordOutcome> {
  let last: RecordOutcome = { status: "no-journey" };
  for (const key of keys) last = await onboarding.record(memberId, key);
  return last;
}

/** Runs the journey's pending nudge as the scheduler would at its time (nobody to reach: no platform). */
export async function runPendingNudge({ jobs, services, clock }: Pick<World, "jobs" | "services" | "clock">) {
  const [job] = await services.jobs.list({ kind: "onboarding.followup", state: "pending" });
  clock.set(job!.dueAt.toISOString());
  const [claimed] = await services.jobs.claimDue(clock.now(), { limit: 1, leaseMs: 60_000, workerId: "test", kinds: ["onboarding.followup"] });
  await jobs.runNudge({ ...claimed!, payload: JSON.parse(claimed!.payload) }, {
    now: clock.now(),
    lateBy: 0,
    attempt: 1,
    log,
    signal: new AbortController().signal,
    deliverOnce: async (recipient, send) => {
      await send({ key: `test:${recipient}` });
      return "sent";
    },
    jobs: services.jobs,
  });
  await services.jobs.complete(claimed!);
}
