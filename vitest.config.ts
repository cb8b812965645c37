import { defineConfig } from "vitest/config";

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
        // The scheduler suites again, on the machine's PostgreSQL: freshStoreUrl() hands out
        // PostgreSQL databases in this project. Skipped with the reason when it is not running.
        extends: true,
        test: {
          name: "postgresql",
          include: ["test/scheduler/**/*.test.ts"],
          env: { PROMENEURS_TEST_STORE: "postgresql" },
          setupFiles: ["test/store/postgres-setup.ts"],
        },
      },
    ],
  },
});
