/**
 * Poll results as bars: pure functions from counts to neutral Reply fields, so Discord, Slack and
 * the console show the same thing and the benchmark can time the rendering alone.
 */
import { plural } from "../../shared/plural.js";
import type { ReplyField } from "../reply.js";

interface OptionCount {
  position: number;
  label: string;
  count: number;
  /** Names of who chose it (only for a poll that is not anonymous, and only where asked for). */
  names?: string[];
}

export interface Tally {
  options: OptionCount[];
  /** Distinct voters (in a multiple-choice poll one voter counts once, whatever they ticked). */
  voters: number;
}

const BAR_WIDTH = 12;

/** `████████░░░░` for a share between 0 and 1. */
export function bar(share: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, share)) * BAR_WIDTH);
  return `${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}`;
}

/** Percentages of voters, rounded; in a multiple-choice poll they may add up to more than 100. */
export function percent(count: number, voters: number): number {
  return voters === 0 ? 0 : Math.round((count / voters) * 100);
}

/** One field per option: « 1. Mardi matin » / « `██████░░░░░░` 7 voix · 58 % ». */
export function tallyFields(tally: Tally, options: { winners?: boolean } = {}): ReplyField[] {
  const top = Math.max(0, ...tally.options.map((o) => o.count));
  return tally.options.map((o) => {
    const crown = options.winners && top > 0 && o.count === top ? " 🏆" : "";
    const names = o.names?.length ? `\n${o.names.join(", ")}` : "";
    return {
      name: `${o.position}. ${o.label}${crown}`,
      value: `\`${bar(tally.voters === 0 ? 0 : o.count / tally.voters)}\` ${plural(o.count, "voix", "voix")} · ${percent(o.count, tally.voters)} %${names}`,
    };
  });
}

/** The option(s) with the most votes (several on a tie, none when nobody voted). */
export function winners(tally: Tally): OptionCount[] {
  const top = Math.max(0, ...tally.options.map((o) => o.count));
  return top === 0 ? [] : tally.options.filter((o) => o.count === top);
}
