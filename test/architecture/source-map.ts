import { readdirSync, readFileSync } from "node:fs";
import { extname, join, posix } from "node:path";
import ts from "typescript";

/**
 * What the architecture checks know of one source file, read with the TypeScript parser (no type
 * checking, so the whole tree is read in about a second): its length, what it imports and how long
 * each of its functions is.
 */

/** A file as the checks see it: its path from the repository root (with "/") and its text. */
export interface SourceText {
  path: string;
  text: string;
}

export interface ImportEdge {
  /** The importing file. */
  from: string;
  /** As written in the file: "../shared/clock.js", "discord.js". */
  specifier: string;
  /** A repository path ("src/shared/clock.ts") for a local file, the package name ("@slack/bolt") otherwise. */
  target: string;
  local: boolean;
  /** `import type …` / `export type … from` / `typeof import(…)`: gone once compiled. */
  typeOnly: boolean;
  line: number;
  /** The names taken from the target ("default" for a default import); "all" for `import * as`, a bare `import()`. */
  names: string[] | "all";
  /** `export * from …`: passes the target's exports on without using any. */
  star?: boolean;
}

/** A name the file exports, declared there or passed on from another file (`export { x } from …`). */
interface ExportedName {
  name: string;
  line: number;
  /** Passed on from another file: `export { x } from "./x.js"`. */
  reExport?: boolean;
}

interface FunctionSpan {
  name: string;
  line: number;
  lines: number;
}

export interface SourceFacts {
  path: string;
  lines: number;
  imports: ImportEdge[];
  functions: FunctionSpan[];
  exports: ExportedName[];
}

const SOURCE_EXTENSIONS = new Set([".ts", ".mts", ".mjs", ".js"]);
const SKIPPED_FOLDERS = new Set(["node_modules", "generated", "generated-pg", ".build", "coverage", "test-artifacts"]);

/** Every TypeScript/JavaScript file under the given folders of `root`, skipping generated code. */
export function readSources(root: string, folders: string[]): SourceText[] {
  const found: SourceText[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = posix.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(path);
      } else if (SOURCE_EXTENSIONS.has(extname(entry.name)) && !entry.name.endsWith(".d.ts")) {
        found.push({ path, text: readFileSync(join(root, path), "utf8") });
      }
    }
  };
  for (const folder of folders) walk(folder);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/** The facts of every file; local imports are resolved against the set of files given. */
export function sourceFacts(files: SourceText[]): SourceFacts[] {
  const known = new Set(files.map((file) => file.path));
  return files.map((file) => factsOf(file, known)).sort((a, b) => a.path.localeCompare(b.path));
}

function factsOf(file: SourceText, known: Set<string>): SourceFacts {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, scriptKind(file.path));
  const imports: ImportEdge[] = [];
  const functions: FunctionSpan[] = [];
  const exports: ExportedName[] = [];
  const lineOf = (node: ts.Node): number => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const addImport = (literal: ts.Node, typeOnly: boolean, names: string[] | "all", star = false): void => {
    if (!ts.isStringLiteralLike(literal)) return;
    const { target, local } = resolve(file.path, literal.text, known);
    imports.push({ from: file.path, specifier: literal.text, target, local, typeOnly, line: lineOf(literal), names, ...(star ? { star } : {}) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) addImport(node.moduleSpecifier, node.importClause?.isTypeOnly ?? false, importedNames(node));
    else if (ts.isExportDeclaration(node)) {
      for (const name of exportedNames(node)) exports.push({ name, line: lineOf(node), ...(node.moduleSpecifier ? { reExport: true } : {}) });
      if (node.moduleSpecifier) {
        const star = !node.exportClause;
        addImport(node.moduleSpecifier, node.isTypeOnly, star ? [] : reExportedNames(node), star);
      }
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      addImport(node.moduleReference.expression, node.isTypeOnly, "all");
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) {
      addImport(node.arguments[0], false, dynamicImportNames(node));
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      addImport(node.argument.literal, true, node.qualifier ? [firstName(node.qualifier)] : "all");
    } else if (ts.isExportAssignment(node)) exports.push({ name: "default", line: lineOf(node) });
    else if (isExported(node)) for (const name of declaredNames(node)) exports.push({ name, line: lineOf(node) });
    if (isFunctionWithBody(node)) {
      const first = lineOf(node);
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
      functions.push({ name: functionName(node, source), line: first, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const lines = file.text.endsWith("\n") ? file.text.split("\n").length - 1 : file.text.split("\n").length;
  return { path: file.path, lines, imports, functions, exports };
}

function importedNames(node: ts.ImportDeclaration): string[] | "all" {
  const clause = node.importClause;
  if (!clause) return [];
  const names = clause.name ? ["default"] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) return "all";
  for (const element of bindings?.elements ?? []) names.push((element.propertyName ?? element.name).text);
  return names;
}

/** What `export { a as b } from "./x.js"` takes from x: a. */
function reExportedNames(node: ts.ExportDeclaration): string[] | "all" {
  const clause = node.exportClause;
  if (!clause || ts.isNamespaceExport(clause)) return "all";
  return clause.elements.map((element) => (element.propertyName ?? element.name).text);
}

/** What `export { a as b }` or `export * as ns from …` makes visible: b, ns. */
function exportedNames(node: ts.ExportDeclaration): string[] {
  const clause = node.exportClause;
  if (!clause) return [];
  if (ts.isNamespaceExport(clause)) return [clause.name.text];
  return clause.elements.map((element) => element.name.text);
}

/** `const { a, b } = await import("./x.js")` takes a and b; any other use of `import()` may take anything. */
function dynamicImportNames(call: ts.CallExpression): string[] | "all" {
  let holder: ts.Node = call.parent;
  while (ts.isAwaitExpression(holder) || ts.isParenthesizedExpression(holder)) holder = holder.parent;
  if (ts.isVariableDeclaration(holder) && ts.isObjectBindingPattern(holder.name)) {
    return holder.name.elements.map((element) => (element.propertyName ?? element.name).getText());
  }
  if (ts.isPropertyAccessExpression(holder)) return [holder.name.text];
  return "all";
}

function firstName(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : firstName(name.left);
}

function isExported(node: ts.Node): boolean {
  if (!ts.canHaveModifiers(node) || !ts.isSourceFile(node.parent)) return false;
  return ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

function declaredNames(node: ts.Node): string[] {
  const isDefault = ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  if (isDefault) return ["default"];
  if (ts.isVariableStatement(node)) {
    return node.declarationList.declarations.flatMap((declaration) => (ts.isIdentifier(declaration.name) ? [declaration.name.text] : []));
  }
  const name = (node as ts.DeclarationStatement).name;
  return name && ts.isIdentifier(name) ? [name.text] : [];
}

function scriptKind(path: string): ts.ScriptKind {
  return path.endsWith(".mjs") || path.endsWith(".js") ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

/** "../shared/clock.js" from "src/scheduler/service.ts" → "src/shared/clock.ts"; "@slack/bolt/x" → "@slack/bolt". */
function resolve(from: string, specifier: string, known: Set<string>): { target: string; local: boolean } {
  if (!specifier.startsWith(".")) {
    const parts = specifier.split("/");
    const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
    return { target: name, local: false };
  }
  const joined = posix.normalize(posix.join(posix.dirname(from), specifier));
  const stem = joined.replace(/\.(js|mjs|ts|mts)$/, "");
  const candidates = [joined, `${stem}.ts`, `${stem}.mts`, `${stem}.mjs`, `${stem}.js`, `${joined}/index.ts`];
  return { target: candidates.find((candidate) => known.has(candidate)) ?? joined, local: true };
}

type FunctionWithBody =
  | ts.FunctionDeclaration
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction;

function isFunctionWithBody(node: ts.Node): node is FunctionWithBody {
  return (
    (ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node)) &&
    node.body !== undefined
  );
}

/** A name a reader can search for: "computeFigures", "SlackAdapter.listen", "callback of describe". */
function functionName(node: FunctionWithBody, source: ts.SourceFile): string {
  const owner = ts.isClassLike(node.parent) && node.parent.name ? `${node.parent.name.text}.` : "";
  if (ts.isConstructorDeclaration(node)) return `${owner}constructor`;
  if (node.name) return owner + node.name.getText(source);
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name) {
    return (ts.isPropertyDeclaration(parent) ? owner : "") + parent.name.getText(source);
  }
  if (ts.isCallExpression(parent)) return `function passed to ${parent.expression.getText(source).slice(0, 40)}`;
  return "anonymous function";
}
