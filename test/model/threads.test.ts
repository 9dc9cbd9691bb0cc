import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

const run = promisify(execFile);

/** Runs thread-digest.ts in a fresh process (the engine's thread count is fixed per process). */
async function digestWith(
  threads: number,
): Promise<{ threads: number; workerThreads: number; digest: string }> {
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "test/model/thread-digest.ts"), String(threads)],
    { cwd: repoRoot, timeout: 120_000 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

describe("engine threads", () => {
  // The worker pool only decides which thread computes which output rows: training steps,
  // log-probs, samples and weights must not depend on it, or results would depend on the machine.
  it("gives bit-identical training, log-probs and samples on 1 and 2 threads", async () => {
    const [one, two] = await Promise.all([digestWith(1), digestWith(2)]);
    expect(one.workerThreads).toBe(0);
    expect(two.workerThreads).toBe(1);
    expect(two.digest).toBe(one.digest);
  }, 240_000);
});
