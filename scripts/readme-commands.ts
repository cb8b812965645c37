import { readFileSync, writeFileSync } from "node:fs";
import { commands } from "../commands/index.js";
import { withCommandTable } from "../src/docs/command-table.js";

/** `npm run readme:commands` rewrites the README's command list from the declarations. */
const before = readFileSync("README.md", "utf8");
const after = withCommandTable(before, commands);
writeFileSync("README.md", after);
process.stdout.write(before === after ? "README.md déjà à jour.\n" : "README.md mis à jour.\n");
