// The journey's runtime settings, stored as Setting rows (the table of the settings service) and
// changed by the animator with /accueil reglages. A missing or unreadable row means the default.
import { z } from "zod";
import type { PrismaClient } from "../../store/index.js";
import { audit } from "../audit.js";
import type { Clock } from "../../shared/clock.js";
import { UserError } from "../errors.js";
import type { SettingsService } from "../settings.js";
import type { NudgeSettings } from "./journey.js";
import { issueText } from "../zod-french.js";

export interface OnboardingSettings extends NudgeSettings {
  /** Start a journey when someone joins the Discord server, the Slack workspace or network channel. */
  autoStart: boolean;
}

const DEFAULT_SETTINGS: OnboardingSettings = { autoStart: true, reminderDays: [3, 7], alertDays: 14 };

const SETTING_KEYS = {
  autoStart: "accueil:auto",
  reminderDays: "accueil:rappels",
  alertDays: "accueil:alerte",
} as const;

const MAX_DAYS = 90;

/** « 3,7 » → [3, 7]: one to three delays in days, increasing. */
export const reminderDaysSchema = z
  .string()
  .trim()
  .regex(/^\d{1,2}(\s*[,;]\s*\d{1,2}){0,2}$/, { message: "un à trois nombres de jours séparés par des virgules" })
  .transform((value) => value.split(/[,;]/).map((n) => Number(n.trim())))
  .refine((days) => days.every((d) => d >= 1 && d <= MAX_DAYS), { message: `chaque délai entre 1 et ${MAX_DAYS} jours` })
  .refine((days) => days.every((d, i) => i === 0 || d > days[i - 1]!), { message: "des délais croissants, par exemple 3,7" });

/** The same rule on the option's text, which is parsed once validated. */
export const reminderDaysText = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const result = reminderDaysSchema.safeParse(value);
    if (!result.success) ctx.addIssue({ code: "custom", message: issueText(result.error) });
  });

export const alertDaysSchema = z
  .number()
  .int({ message: "un nombre entier de jours" })
  .min(1, { message: "1 jour au moins" })
  .max(MAX_DAYS, { message: `${MAX_DAYS} jours au plus` });

export async function readSettings(settings: SettingsService): Promise<OnboardingSettings> {
  const [auto, reminders, alert] = await Promise.all([
    settings.get(SETTING_KEYS.autoStart),
    settings.get(SETTING_KEYS.reminderDays),
    settings.get(SETTING_KEYS.alertDays),
  ]);
  const parsedReminders = reminders === null ? undefined : reminderDaysSchema.safeParse(reminders).data;
  const parsedAlert = alert === null ? undefined : alertDaysSchema.safeParse(Number(alert)).data;
  return {
    autoStart: auto === null ? DEFAULT_SETTINGS.autoStart : auto === "oui",
    reminderDays: parsedReminders ?? DEFAULT_SETTINGS.reminderDays,
    alertDays: parsedAlert ?? DEFAULT_SETTINGS.alertDays,
  };
}

/** A change asked by the animator; options already validated one by one. */
type SettingsPatch = Partial<OnboardingSettings>;

/**
 * Writes the changed values (with the audit entry) and returns the new settings; refuses, with
 * nothing written, an alert that would come before the last reminder.
 */
export async function writeSettings(
  db: PrismaClient,
  clock: Clock,
  current: OnboardingSettings,
  patch: SettingsPatch,
  actorId: number,
): Promise<OnboardingSettings> {
  const next: OnboardingSettings = { ...current, ...patch };
  const lastReminder = next.reminderDays.at(-1) ?? 0;
  if (next.alertDays <= lastReminder) {
    throw new UserError(
      `L'alerte à l'animateur (${next.alertDays} j) doit venir après la dernière relance (${lastReminder} j). Rien n'a été modifié.`,
    );
  }
  const rows: [string, string][] = [];
  if (patch.autoStart !== undefined) rows.push([SETTING_KEYS.autoStart, patch.autoStart ? "oui" : "non"]);
  if (patch.reminderDays !== undefined) rows.push([SETTING_KEYS.reminderDays, patch.reminderDays.join(",")]);
  if (patch.alertDays !== undefined) rows.push([SETTING_KEYS.alertDays, String(patch.alertDays)]);
  const now = clock.now();
  await db.$transaction(async (tx) => {
    for (const [key, value] of rows) {
      await tx.setting.upsert({
        where: { key },
        create: { key, value, updatedBy: actorId, updatedAt: now },
        update: { value, updatedBy: actorId, updatedAt: now },
      });
    }
    await audit(tx, { actorId, action: "config.accueil", targetType: "setting", targetId: "accueil", details: { avant: describe(current), après: describe(next) } }, now);
  });
  return next;
}

export function describe(s: OnboardingSettings): string {
  return `démarrage automatique ${s.autoStart ? "oui" : "non"}, relances à ${s.reminderDays.join(" et ")} j, alerte à ${s.alertDays} j`;
}
