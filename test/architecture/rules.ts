import type { ImportEdge, SourceFacts } from "./source-map.js";

/**
 * The shape of the code as rules a test can hold: the layers import in one direction, no file or
 * function grows past what a reader takes in at once, and no two files need each other. Each
 * violation names the file and says in plain words what to change (ARCHITECTURE.md explains why).
 */

export type RuleName = "layers" | "file size" | "function size" | "import cycle";

export interface Violation {
  rule: RuleName;
  file: string;
  line?: number;
  message: string;
}

export const MAX_FILE_LINES = 400;
export const MAX_FUNCTION_LINES = 60;

/**
 * Where the size rules apply. Every file the project writes counts for the file size (emulators and
 * test helpers included), except the specifications themselves (`*.test.ts`), whose `describe`
 * blocks grow with the behaviour they pin down. Functions are measured in the bot's own code and in
 * the operator scripts; bench and test support code are held to the file size only.
 */
const FILE_SIZE_SCOPE = { folders: ["src/", "commands/", "scripts/", "bench/", "test/"], except: /\.test\.ts$/ };
const FUNCTION_SIZE_SCOPE = { folders: ["src/", "commands/", "scripts/"] };

interface LayerRule {
  /** Whose imports the rule looks at (folders, ending with "/"). */
  files: string[];
  /** Folders of this repository ("src/core/") or packages ("discord.js", "@slack/*": a whole scope). */
  forbidden: string[];
  /** Files (or, ending with "/", folders) inside a forbidden folder that stay open: the folder's front door. */
  except?: string[];
  /** The rule in a sentence, then what to do instead. */
  says: string;
  instead: string;
}

const PLATFORM_PACKAGES = ["discord.js", "@discordjs/*", "@slack/*", "matrix-js-sdk", "matrix-*", "@matrix-org/*"];

/**
 * The list of platforms as data (names, French labels, mention syntax, account-id rules): the one
 * file under src/platforms/ that features, the router and commands may read, as they read the
 * Prisma `Platform` enum. What it may reach is held by `catalogViolations` below.
 */
export const PLATFORM_CATALOG = "src/platforms/catalog.ts";
/** What the catalog may pull in from src/platforms/: the descriptors, data only. */
const CATALOG_MAY_REACH = /^src\/platforms\/(catalog|descriptor|[^/]+\/descriptor)\.ts$/;

/**
 * src/shared/ is the floor under every layer: what is not a feature and knows nothing (the Clock,
 * French plurals). Every layer may import it; it imports no other file of the repository.
 */
const SHARED_LAYER = "src/shared/";

export const LAYER_RULES: LayerRule[] = [
  {
    files: ["src/scheduler/", "src/store/"],
    forbidden: ["src/core/", "src/platforms/"],
    says: "the scheduler and the store sit below the features and know none of them nor any platform",
    instead:
      "move what both sides need into a small module below them (as src/scheduler/ or src/store/ itself), or let the feature pass it in",
  },
  {
    files: ["src/core/", "src/bot/"],
    forbidden: ["src/platforms/", ...PLATFORM_PACKAGES],
    except: [PLATFORM_CATALOG],
    says: "the features (src/core/) and the router (src/bot/) know no platform",
    instead:
      "describe what the feature needs with the neutral types of src/core (Reply, Notifier, Interaction…) and leave the platform part to its adapter in src/platforms/",
  },
  {
    files: ["commands/"],
    forbidden: ["src/store/", "@prisma/*", "prisma", "src/platforms/", ...PLATFORM_PACKAGES],
    except: [PLATFORM_CATALOG],
    says: "a command talks to the features only: not to the database (Prisma, src/store/) nor to a platform",
    instead: "ask the feature in src/core/<feature> for what the command needs (commands receive the features, not the database)",
  },
  {
    files: ["src/core/", "commands/"],
    forbidden: ["src/scheduler/"],
    except: ["src/scheduler/index.ts"],
    says: "features and commands use the scheduler only through its front door, src/scheduler/index.ts",
    instead: "import from src/scheduler/index.js, and export there what is missing",
  },
  {
    files: [SHARED_LAYER],
    forbidden: ["src/", "commands/", "scripts/", "bench/", "test/", "@prisma/*", "prisma", ...PLATFORM_PACKAGES],
    except: [SHARED_LAYER],
    says: "src/shared/ sits below every layer and knows nothing of the bot: no feature, scheduler, store, platform nor database",
    instead: "keep in src/shared/ only what needs none of them, and move what does up into the layer it belongs to",
  },
];

function forbids(pattern: string, edge: ImportEdge): boolean {
  if (pattern.endsWith("/")) return edge.local && edge.target.startsWith(pattern);
  if (pattern.endsWith("*")) return !edge.local && edge.target.startsWith(pattern.slice(0, -1));
  return !edge.local && edge.target === pattern;
}

export function layerViolations(files: SourceFacts[], rules: LayerRule[] = LAYER_RULES): Violation[] {
  const found: Violation[] = [];
  for (const file of files) {
    for (const rule of rules.filter((r) => r.files.some((folder) => file.path.startsWith(folder)))) {
      for (const edge of file.imports) {
        const pattern = rule.forbidden.find((p) => forbids(p, edge));
        if (!pattern || rule.except?.some((open) => (open.endsWith("/") ? edge.target.startsWith(open) : edge.target === open))) continue;
        const what = edge.local ? edge.target : `the package ${edge.target}`;
        found.push({
          rule: "layers",
          file: file.path,
          line: edge.line,
          message: `${file.path}:${edge.line} imports ${what}, but ${rule.says}. Instead, ${rule.instead}.`,
        });
      }
    }
  }
  return found;
}

/**
 * The catalog stays data: nothing it imports, however indirectly, may be an adapter, a platform's
 * other files or a platform library, or reading it would load a platform into the features.
 */
export function catalogViolations(files: SourceFacts[]): Violation[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const found: Violation[] = [];
  const seen = new Set<string>();
  const queue = byPath.has(PLATFORM_CATALOG) ? [PLATFORM_CATALOG] : [];
  while (queue.length > 0) {
    const file = byPath.get(queue.shift()!)!;
    for (const edge of file.imports) {
      const platformCode = edge.local
        ? edge.target.startsWith("src/platforms/") && !CATALOG_MAY_REACH.test(edge.target)
        : PLATFORM_PACKAGES.some((pattern) => forbids(pattern, edge));
      if (platformCode) {
        const what = edge.local ? edge.target : `the package ${edge.target}`;
        found.push({
          rule: "layers",
          file: file.path,
          line: edge.line,
          message:
            `${file.path}:${edge.line} imports ${what}, and ${PLATFORM_CATALOG} reaches it: the catalog the features read must stay data ` +
            "(descriptors only), so that reading it loads no platform. Instead, keep adapters and libraries behind src/platforms/<name>/index.ts.",
        });
      }
      if (edge.local && byPath.has(edge.target) && !seen.has(edge.target)) {
        seen.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  return found;
}

const inScope = (path: string, scope: { folders: string[]; except?: RegExp }): boolean =>
  scope.folders.some((folder) => path.startsWith(folder)) && !scope.except?.test(path);

export function fileSizeViolations(files: SourceFacts[]): Violation[] {
  return files
    .filter((file) => inScope(file.path, FILE_SIZE_SCOPE) && file.lines > MAX_FILE_LINES)
    .map((file) => ({
      rule: "file size" as const,
      file: file.path,
      message:
        `${file.path} has ${file.lines} lines, more than the ${MAX_FILE_LINES} a file may have. ` +
        "Split it along what it does (one file per resource, per kind of job, per screen…), each part named after its job.",
    }));
}

export function functionSizeViolations(files: SourceFacts[]): Violation[] {
  return files
    .filter((file) => inScope(file.path, FUNCTION_SIZE_SCOPE))
    .flatMap((file) =>
      file.functions
        .filter((fn) => fn.lines > MAX_FUNCTION_LINES)
        .map((fn) => ({
          rule: "function size" as const,
          file: file.path,
          line: fn.line,
          message:
            `${file.path}:${fn.line} ${fn.name} is ${fn.lines} lines long, more than the ${MAX_FUNCTION_LINES} a function may have. ` +
            "Give each step its own well-named function (one per section, per listener kind, per case…).",
        })),
    );
}

/**
 * Files that import each other, directly or round a loop. Type-only imports count: they vanish
 * from the compiled code, but a type cycle still means that neither file can be read, tested or
 * moved without the other (the jobs ↔ feature-jobs loop of issue 15 was one).
 */
export function cycleViolations(files: SourceFacts[]): Violation[] {
  const graph = new Map<string, string[]>();
  for (const file of files) graph.set(file.path, file.imports.filter((edge) => edge.local).map((edge) => edge.target));
  return stronglyConnected(graph).map((group) => {
    const loop = shortestLoop(graph, group);
    const others = group.filter((path) => !loop.includes(path));
    const also = others.length > 0 ? ` The same knot also holds ${others.join(", ")}.` : "";
    return {
      rule: "import cycle" as const,
      file: loop[0]!,
      message:
        `These files import each other in a loop: ${[...loop, loop[0]].join(" → ")}.${also} ` +
        "Break it: move what they share into a file that both import, or pass it in as a parameter.",
    };
  });
}

/** Tarjan's algorithm, iterative: the groups of two or more files (or one importing itself) that reach each other. */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, index.size);
    low.set(start, index.get(start)!);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = (graph.get(frame.node) ?? []).filter((target) => graph.has(target));
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!index.has(target)) {
          index.set(target, index.size);
          low.set(target, index.get(target)!);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== frame.node);
      const selfLoop = graph.get(frame.node)!.includes(frame.node);
      if (group.length > 1 || selfLoop) groups.push(group.sort());
    }
  }
  return groups.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** The shortest loop through the group's first file (breadth-first inside the group). */
function shortestLoop(graph: Map<string, string[]>, group: string[]): string[] {
  const members = new Set(group);
  const start = group[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const target of graph.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const loop = [node];
        while (loop[0] !== start) loop.unshift(cameFrom.get(loop[0]!)!);
        return loop;
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  return group;
}

export function architectureViolations(files: SourceFacts[]): Violation[] {
  return [...layerViolations(files), ...catalogViolations(files), ...fileSizeViolations(files), ...functionSizeViolations(files), ...cycleViolations(files)];
}
