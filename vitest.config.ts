import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Engine tests spawn jax-js worker pools; keep files from oversubscribing 2 cores.
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
  },
});
