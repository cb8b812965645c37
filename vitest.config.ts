import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // The migration engine is a WebAssembly ES module; Node 20 loads it only with this flag.
    execArgv: ["--experimental-wasm-modules", "--no-warnings"],
  },
});
