import ts from "typescript";
import { describe, expect, it } from "vitest";
import { readSources } from "./architecture/source-map.js";

/**
 * The log is read by the animator, who reads French: every message the bot logs (the last,
 * literal argument of `log.info(…)`, `this.deps.log.warn(…)`…) is written in French. English
 * gives itself away by a few words that no French message uses.
 */
const ENGLISH = /\b(failed|failure|ignored|error|warning|already|up to date|handler|fault|started|stopped|sent|received|unknown|skipped|retrying|connected|stop)\b/i;
const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);

function logMessages(path: string, text: string): { where: string; message: string }[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: { where: string; message: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && LEVELS.has(node.expression.name.text) && /log/i.test(node.expression.expression.getText(source))) {
      const last = node.arguments[node.arguments.length - 1];
      if (last && (ts.isStringLiteral(last) || ts.isNoSubstitutionTemplateLiteral(last))) {
        found.push({ where: `${path}:${source.getLineAndCharacterOfPosition(last.getStart(source)).line + 1}`, message: last.text });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("the bot's log", () => {
  const messages = readSources(".", ["src"]).flatMap((file) => logMessages(file.path, file.text));

  it("is read from every logging call of the bot (the check below would pass on nothing)", () => {
    expect(messages.length).toBeGreaterThan(100);
    expect(messages).toContainEqual(expect.objectContaining({ message: "tâche terminée" }));
  });

  it("is written in French, every message", () => {
    expect(messages.filter(({ message }) => ENGLISH.test(message)).map(({ where, message }) => `${where} « ${message} »`)).toEqual([]);
  });
});
