// Two reads of the Job table the timer and the recovery at start-up need (kept out of jobs.ts,
// which holds the state changes).
import type { PrismaClient } from "../store/index.js";

/**
 * Makes the leases of running jobs whose holder is gone expire now, so the next claim takes them
 * over at once instead of after their lease. Conditional on the lock seen, so a job claimed again
 * meanwhile is left alone. Returns how many were released.
 */
export async function expireLeasesOfGoneHolders(
  prisma: PrismaClient,
  now: Date,
  isGone: (lockedBy: string) => boolean | Promise<boolean>,
): Promise<number> {
  const running = await prisma.job.findMany({
    where: { state: "running", leaseUntil: { gte: now } },
    select: { id: true, lockedBy: true },
  });
  let released = 0;
  const expired = new Date(now.getTime() - 1);
  for (const job of running) {
    if (job.lockedBy === null || !(await isGone(job.lockedBy))) continue;
    const { count } = await prisma.job.updateMany({
      where: { id: job.id, state: "running", lockedBy: job.lockedBy },
      data: { leaseUntil: expired },
    });
    released += count;
  }
  return released;
}

/**
 * When the dispatcher next has something to do for these kinds: the earliest pending dueAt or
 * the earliest running lease to expire (a job to take over). Undefined when nothing is planned.
 */
export async function nextWake(prisma: PrismaClient, kinds: readonly string[]): Promise<Date | undefined> {
  if (kinds.length === 0) return undefined;
  const kind = { in: [...kinds] };
  const [pending, running] = await Promise.all([
    prisma.job.findFirst({ where: { state: "pending", kind }, orderBy: { dueAt: "asc" }, select: { dueAt: true } }),
    prisma.job.findFirst({ where: { state: "running", kind, leaseUntil: { not: null } }, orderBy: { leaseUntil: "asc" }, select: { leaseUntil: true } }),
  ]);
  const times = [pending?.dueAt, running?.leaseUntil ?? undefined].filter((d): d is Date => d instanceof Date);
  return times.length === 0 ? undefined : new Date(Math.min(...times.map((d) => d.getTime())));
}
