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
      { extends: true, test: { name: "sqlite", include: ["test/**/*.test.ts"] } },
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
