#!/usr/bin/env node
// Generates the Prisma client into src/store/generated/ (run by npm `postinstall`).
//
// Why a wrapper instead of plain `prisma generate`: Prisma 7's CLI wants a native schema
// engine and tries to download it from binaries.prisma.sh, which fails offline. `generate`
// never runs that engine, so pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips
// the download. Output is captured so a successful install stays quiet; on failure everything
// the CLI printed is shown and the exit code is non-zero, so `npm ci` fails loudly.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
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

const result = spawnSync(process.execPath, [prismaCli, "generate"], {
  cwd: repoRoot,
  env,
  encoding: "utf8",
  timeout: 120_000,
});

const generatedClient = path.join(repoRoot, "src/store/generated/client.ts");
if (result.status !== 0 || !existsSync(generatedClient)) {
  process.stderr.write(result.stdout ?? "");
  process.stderr.write(result.stderr ?? "");
  if (result.error) console.error(result.error);
  console.error(
    `prisma-generate: \`prisma generate\` failed (exit ${result.status ?? result.signal}); ` +
      `expected ${path.relative(repoRoot, generatedClient)}.`,
  );
  process.exit(1);
}
