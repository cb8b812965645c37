// A planned task the bot gave up on (its handler failed at every attempt) is told to the animator
// in « animation », once per task: the failure hook runs only in the process that recorded the
// failure, and the message goes through the task's own delivery record, so neither another
// instance nor a restart repeats it. Handlers that already explained their failure in their own
// words throw AlreadyReported and are not reported again here.
import type { Logger } from "../../logger.js";
import type { JobFailure } from "../../scheduler/index.js";
import { formatDateTime } from "../dates.js";
import type { Reply } from "../reply.js";
import type { Services } from "../services.js";

function jobFailureReply(failure: JobFailure, timeZone: string): Reply {
  const { job } = failure;
  const tries = job.attempts > 1 ? `à ses ${job.attempts} essais` : "dès son premier essai";
  return {
    title: "Tâche planifiée abandonnée",
    text:
      `La tâche « ${job.kind} » (n° ${job.id}, prévue le ${formatDateTime(job.dueAt, timeZone)}) a échoué ${tries} ; le bot ne la relancera pas.\n` +
      `Dernière erreur : ${failure.error}\n` +
      `Le journal du bot en dit plus (cherchez « jobId »:${job.id}).`,
    tone: "warning",
  };
}

export class JobFailureReports {
  constructor(private readonly deps: { services: Services; timeZone: string; log: Logger }) {}

  async report(failure: JobFailure): Promise<void> {
    const { services, timeZone, log } = this.deps;
    await failure.deliverOnce("echec:animation", async () => {
      const { refs, failures } = await services.notifications.toChannel("animation", jobFailureReply(failure, timeZone));
      if (refs.length === 0) log.warn({ jobId: failure.job.id, kind: failure.job.kind, failures }, "échec de tâche non signalé à l'animateur (aucun salon « animation »)");
    });
  }
}
