/**
 * The bot's French style, checked on every text it shows in the end-to-end suites.
 *
 * Loaded by vitest as a setup file (vitest.config.ts): for each test of test/e2e/, every message the
 * bot posts, edits, sends privately or answers — on the Discord and Slack emulators and in the
 * console harness (runConsole) — is checked against the rules below, and the test fails with the
 * offending text when one is broken. Unit tests can call `frenchStyleProblems` directly.
 */
import { afterEach, beforeEach, expect } from "vitest";
import { onBotOutput } from "./bot-output.js";

interface StyleRule {
  name: string;
  pattern: RegExp;
}

/** What never reaches a user: each rule names the family it catches. */
const FRENCH_STYLE_RULES: readonly StyleRule[] = [
  { name: "pluriel « (s) » au lieu d'un accord", pattern: /\p{L}\((?:s|es|x)\)/u },
  // The profile records no gender: a neutral phrasing, never « invité(e) » (issue 11, item 12).
  { name: "marque de genre « (e) » au lieu d'une tournure neutre", pattern: /\p{L}\((?:e|ve|le|ne)\)/u },
  { name: "durée nulle (« 0 jour », « 0 h ») au lieu d'une tournure", pattern: /(?<![\d,.])0 (?:jours?|j|h|heures?|min)(?![\p{L}\d])/u },
  { name: "formulation brute de zod (anglais)", pattern: /\b(?:Invalid|[Ee]xpected|[Rr]eceived|Too (?:big|small))\b/ },
  { name: "formulation brute de zod (locale fr)", pattern: /Entrée invalide|Option invalide|Trop (?:grand|petit) :|Chaîne de caractères invalide|[<>]=\d/ },
  { name: "liste brute de valeurs (« \"a\"|\"b\" attendue »)", pattern: /"[^"\n]*"\|"|parmi "[^"\n]*"|" attendue?\b/ },
  { name: "erreur brute de la plateforme (anglais)", pattern: /Missing (?:Access|Permissions)|Unknown (?:Channel|Message|Member)|An API error occurred|Service Unavailable|Internal Server Error|Bad Request|Forbidden|Not Found|fetch failed|\b(?:channel_not_found|not_in_channel|is_archived|missing_scope|ratelimited|invalid_auth)\b/ },
  { name: "double espace", pattern: /\S {2,}(?=\S)/ },
  { name: "gabarit non rempli ({x})", pattern: /\{[\p{L}_][\p{L}\d_]*\}/u },
  { name: "valeur technique vide (undefined, null, NaN)", pattern: /\b(?:undefined|null|NaN|Invalid Date)\b|\[object Object\]/ },
];

/** Every broken rule in `text`, each with the passage that breaks it. */
export function frenchStyleProblems(text: string): string[] {
  const problems: string[] = [];
  for (const rule of FRENCH_STYLE_RULES) {
    const hit = new RegExp(rule.pattern.source, rule.pattern.flags.replace("g", "") + "g");
    for (const m of text.matchAll(hit)) {
      const from = Math.max(0, m.index - 40);
      const passage = text.slice(from, m.index + m[0].length + 40).replace(/\n/g, "⏎");
      problems.push(`${rule.name} : « ${passage} »`);
    }
  }
  return problems;
}

// ---- the automatic check of the end-to-end suites --------------------------------------------

const E2E = /[/\\]test[/\\]e2e[/\\]/;
let seen: string[] = [];
let active = false;

onBotOutput((text, where) => {
  if (!active) return;
  for (const problem of frenchStyleProblems(text)) seen.push(`${where} — ${problem}`);
});

beforeEach(() => {
  active = E2E.test(expect.getState().testPath ?? "");
  seen = [];
});

afterEach(() => {
  const problems = [...new Set(seen)];
  seen = [];
  active = false;
  if (problems.length > 0) {
    throw new Error(`Style français des messages du bot (test/helpers/french-style.ts) :\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
});
