import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // One migrated SQLite template per run; each test copies it (test/store/fixture.ts).
    globalSetup: ["test/store/global-setup.ts"],
  },
});
