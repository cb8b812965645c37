import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const UNIT = "deploy/promeneurs-bot.service";
const unit = readFileSync(UNIT, "utf8");
const readme = readFileSync("README.md", "utf8");
const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;

/** The README's « Installer sur un serveur » section, up to the next second-level heading. */
function installSection(): string {
  const start = readme.indexOf("## Installer sur un serveur");
  expect(start, "README section « Installer sur un serveur »").toBeGreaterThanOrEqual(0);
  const end = readme.indexOf("\n## ", start + 3);
  return readme.slice(start, end < 0 ? undefined : end);
}

function directive(name: string): string[] {
  return [...unit.matchAll(new RegExp(`^${name}=(.*)$`, "gm"))].map((m) => m[1]!.trim());
}

const systemdAnalyze = spawnSync("systemd-analyze", ["--version"]).status === 0;

describe("the systemd unit and the README's installation steps", () => {
  const verifyTitle = "is a unit systemd-analyze verifies without a single warning";
  // Reported as skipped with its reason where systemd is not installed, never silently passed.
  (systemdAnalyze ? it : it.skip)(systemdAnalyze ? verifyTitle : `${verifyTitle} — skipped: systemd-analyze is not installed`, () => {
    // A copy named like the original, in a scratch folder, so verify reads only this unit.
    const dir = mkdtempSync(path.join(tmpdir(), "unit-"));
    const copy = path.join(dir, "promeneurs-bot.service");
    writeFileSync(copy, unit);
    const run = spawnSync("systemd-analyze", ["verify", copy], { encoding: "utf8" });
    expect(run.stderr.trim()).toBe("");
    expect(run.status).toBe(0);
  });

  it("runs the compiled entry point, as the dedicated user, with the usual hardening", () => {
    const [execStart] = directive("ExecStart");
    expect(execStart).toMatch(/\.build\/src\/main\.js$/);
    expect(existsSync("src/main.ts"), "the entry point .build/src/main.js is compiled from").toBe(true);
    expect(scripts.build).toBeDefined();
    expect(directive("User")).toEqual(["promeneurs-bot"]);
    expect(directive("StateDirectory")).toEqual(["promeneurs-bot"]);
    for (const hardening of ["NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes"]) {
      expect(unit).toContain(`\n${hardening}\n`);
    }
    expect(directive("Restart")).toEqual(["on-failure"]);
    // The lock refusal (another bot on the base) and a bad configuration must not restart in a loop.
    expect(directive("RestartPreventExitStatus")[0]?.split(/\s+/)).toEqual(expect.arrayContaining(["2", "3"]));
    expect(directive("Environment")).toContain("DATABASE_URL=file:/var/lib/promeneurs-bot/promeneurs.db");
  });

  it("keeps the README steps in line with the unit and names only files and scripts that exist", () => {
    const section = installSection();
    const [workingDirectory] = directive("WorkingDirectory");
    expect(section).toContain(`git clone <adresse du dépôt> ${workingDirectory}`);
    expect(section).toContain(`cp ${UNIT} /etc/systemd/system/`);
    const [environmentFile] = directive("EnvironmentFile");
    expect(section).toContain(`> ${environmentFile}`);
    for (const [, script] of section.matchAll(/npm run ([\w:-]+)/g)) {
      expect(scripts, `npm run ${script}`).toHaveProperty(script!);
    }
    const repoFiles = [...section.matchAll(/(?<![\w/])((?:deploy|scripts|src)\/[\w./-]+|\.env\.example)/g)].map((m) => m[1]!);
    expect(repoFiles.length).toBeGreaterThan(0);
    for (const file of repoFiles) expect(existsSync(file), file).toBe(true);
  });
});
