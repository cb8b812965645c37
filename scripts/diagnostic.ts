import { formatDiagnostic, runDiagnostic } from "../src/ops/diagnostic.js";

/** `npm run diagnostic`: French checks with a fix for each failure; exit 0 when all is well, 1 otherwise. */
const checks = await runDiagnostic();
process.stdout.write(`${formatDiagnostic(checks)}\n`);
process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
