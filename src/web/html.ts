/**
 * HTML built from tagged templates: every interpolated value is escaped unless it is already
 * markup made by `html` itself, so user text (names, structures, contacts) can never become tags
 * or attributes. There is no other way to put text into a page.
 */
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Html = Markup;
type Value = Markup | string | number | null | undefined | false | readonly Value[];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new Markup(out);
}
