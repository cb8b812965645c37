import { describe, expect, it } from "vitest";

import { startupSummary } from "../../src/ops/startup-summary.js";

const facts = { platforms: ["discord", "slack"] as const, databaseUrl: "postgresql://bot@db:5432/promeneurs", missingChannels: {}, runsScheduler: true, backupDir: "sauvegardes", web: "off" as const };

describe("start-up summary with several instances", () => {
  it("says which instance this is, that it holds Discord, and which instances run the jobs", () => {
    const text = startupSummary({ ...facts, instances: { self: "vm1#41", discord: "vm1#41", jobs: ["vm1#41", "vm2#77"] } });
    expect(text).toContain("Instance : vm1#41 ; instances qui exécutent les tâches : vm1#41, vm2#77.");
    expect(text).toContain("Discord : cette instance tient la connexion et répond aux commandes.");
  });

  it("names the holder from a standby", () => {
    const text = startupSummary({ ...facts, instances: { self: "vm2#77", discord: "vm1#41", jobs: ["vm1#41", "vm2#77"] } });
    expect(text).toContain("Discord : en attente (connexion tenue par vm1#41)");
  });

  it("says nothing of instances on SQLite", () => {
    expect(startupSummary({ ...facts, databaseUrl: "file:./data/promeneurs.db" })).not.toContain("Instance");
  });
});
