import { defineConfig } from "vitest/config";

/** Two bot processes on one PostgreSQL database (and the emulators); in the "sqlite" project it only says so. */
const SEVERAL_INSTANCES = "test/e2e/instances.test.ts";

/** What the bot does every day, end to end, also run on PostgreSQL. */
const POSTGRESQL_END_TO_END = [
  "test/e2e/meetings.test.ts",
  "test/e2e/meetings-reminders.test.ts",
  "test/e2e/polls.test.ts",
  "test/e2e/tableau.test.ts",
  "test/core/member-import.test.ts",
  "test/scripts/members-import.test.ts",
  "test/scripts/bilan.test.ts",
  "test/core/activity/service.test.ts",
  "test/core/privacy/erasure.test.ts",
  "test/core/privacy/retention.test.ts",
  "test/e2e/job-kinds-upgrade.test.ts",
  "test/e2e/instances-start.test.ts",
  "test/platforms/discord-gateway-turn.test.ts",
  "test/e2e/crash-instances.test.ts",
  "test/e2e/instances-slack-http.test.ts",
  SEVERAL_INSTANCES,
];

export default defineConfig({
  test: {
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // One migrated SQLite template per run; each test copies it (test/store/fixture.ts).
    globalSetup: ["test/store/global-setup.ts"],
    projects: [
      {
        extends: true,
        // french-style checks every text the bot shows in the end-to-end suites (test/e2e/).
        test: { name: "sqlite", include: ["test/**/*.test.ts"], setupFiles: ["test/helpers/french-style.ts"] },
      },
      {
        // The scheduler suites and a representative end-to-end subset again, on the machine's
        // PostgreSQL: freshStoreUrl() hands out PostgreSQL databases in this project (each test
        // file its own, dropped after it). Skipped with the reason when it is not running.
        extends: true,
        test: {
          name: "postgresql",
          include: ["test/scheduler/**/*.test.ts", ...POSTGRESQL_END_TO_END],
          env: { PROMENEURS_TEST_STORE: "postgresql" },
          setupFiles: ["test/store/postgres-setup.ts"],
        },
      },
    ],
  },
});
