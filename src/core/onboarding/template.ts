// The one way the journey's texts (steps.fr.yaml) become messages. A text names values between
// braces ({structure}); a value the bot does not have (an empty profile field, a variable this
// message does not provide) is never shown as a stand-in or a visible {name}: it vanishes, with
// the words that only framed it. The animator marks those words as an optional part, `[[ à
// {structure}]]`, kept only when every value inside it is known; what remains is tidied so no
// empty brackets, dangling commas or doubled spaces reach a channel.
import { authoredLinks } from "../markup.js";

export const VARIABLE = /\{([^{}\s]*)\}/g;
const OPTIONAL_PART = /\[\[((?:(?!\[\[|\]\])[\s\S])*)\]\]/g;

type TemplateValues = Partial<Record<string, string | null | undefined>>;

const known = (values: TemplateValues, name: string): boolean => (values[name] ?? "").trim() !== "";

/**
 * A text of the file with its values in. The file's own `[label](url)` links become the bot's
 * links before the values go in, so a member's value (a name, a structure) stays text.
 */
export function fill(template: string, values: TemplateValues, options: { links?: boolean } = {}): string {
  const kept = template.replace(OPTIONAL_PART, (_, part: string) => ([...part.matchAll(VARIABLE)].every((m) => known(values, m[1]!)) ? part : ""));
  const linked = options.links === false ? kept : authoredLinks(kept);
  // Tidied before the values go in: the repairs apply to the text's own punctuation only, never
  // to what a member typed.
  const holes = linked.replace(VARIABLE, (_, name: string) => (known(values, name) ? `{${name}}` : ""));
  return tidy(holes).replace(VARIABLE, (_, name: string) => values[name]!.trim());
}

/** The marks an emptied value leaves behind, repaired line by line (line starts, lists and paragraphs untouched). */
function tidy(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const indent = /^[ \t]*/.exec(line)![0];
      let body = line.slice(indent.length);
      let before;
      do {
        before = body;
        body = body
          .replace(/\(\s*[,;]\s*/g, "(")
          .replace(/\s*[,;]\s*\)/g, ")")
          .replace(/\(\s*\)|«\s*»/g, "")
          .replace(/([,;])(\s*[,;])+/g, "$1")
          .replace(/[ \t]+([,.)])/g, "$1")
          .replace(/\([ \t]+/g, "(")
          .replace(/[ \t]{2,}/g, " ");
      } while (body !== before);
      return `${indent}${body.replace(/^[,;][ \t]*/, "").trimEnd()}`;
    })
    .join("\n")
    .trim();
}

/** The optional parts `[[…]]` of a text must be closed and not nested; the problems, in French. */
export function templateProblems(template: string): string[] {
  const outside = template.replace(OPTIONAL_PART, "");
  const problems: string[] = [];
  if (outside.includes("[[") || outside.includes("]]")) problems.push("partie facultative mal formée : chaque « [[ » se ferme par « ]] », sans imbrication");
  return problems;
}
