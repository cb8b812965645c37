#!/usr/bin/env node
// Generates the Prisma client into src/store/generated/ (run by npm `postinstall`).
//
// Why a wrapper instead of plain `prisma generate`: Prisma 7's CLI wants a native schema
// engine and tries to download it from binaries.prisma.sh, which fails offline. `generate`
// never runs that engine, so pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips
// the download. Output is captured so a successful install stays quiet; on failure everything
// the CLI printed is shown and the exit code is non-zero, so `npm ci` fails loudly.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(repoRoot, "package.json"));

let prismaCli;
try {
  prismaCli = require.resolve("prisma/build/index.js");
} catch (error) {
  console.error("prisma-generate: the `prisma` package is not installed.", error);
  process.exit(1);
}

const env = { ...process.env };
// Keep a caller-provided engine if it exists; otherwise this file stands in for it. It is not
// executable, so if a future Prisma ever tried to run it the command would fail, not hang.
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(import.meta.url);
}
// No telemetry/update check: it is a network call that can only slow an offline install.
env.CHECKPOINT_DISABLE = "1";
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";

// The PostgreSQL schema is derived from the SQLite one (src/store/providers.ts), then both
// clients are generated: each embeds its own provider's query compiler.
const { tsImport } = await import("tsx/esm/api");
const providers = await tsImport("../src/store/providers.ts", import.meta.url);
const sqliteSchema = readFileSync(path.join(repoRoot, "prisma/schema.prisma"), "utf8");
const pgSchemaPath = providers.PROVIDER_FILES.postgresql.schemaPath;
mkdirSync(path.dirname(pgSchemaPath), { recursive: true });
const pgSchema = providers.postgresqlSchema(sqliteSchema);
if (!existsSync(pgSchemaPath) || readFileSync(pgSchemaPath, "utf8") !== pgSchema) writeFileSync(pgSchemaPath, pgSchema);

generate([], "src/store/generated/client.ts");
generate(["--schema", path.relative(repoRoot, pgSchemaPath)], "src/store/generated-pg/client.ts");

function generate(extraArgs, expected) {
  const result = spawnSync(process.execPath, [prismaCli, "generate", ...extraArgs], {
    cwd: repoRoot,
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  const generatedClient = path.join(repoRoot, expected);
  if (result.status !== 0 || !existsSync(generatedClient)) {
    process.stderr.write(result.stdout ?? "");
    process.stderr.write(result.stderr ?? "");
    if (result.error) console.error(result.error);
    console.error(
      `prisma-generate: \`prisma generate ${extraArgs.join(" ")}\` failed (exit ${result.status ?? result.signal}); ` +
        `expected ${expected}.`,
    );
    process.exit(1);
  }
}
