import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

const run = promisify(execFile);

/** Runs thread-digest.ts in a fresh process (the engine's thread count is fixed per process). */
async function digestWith(
  threads: number,
  fma: "fma" | "no-fma" = "fma",
): Promise<{
  threads: number;
  workerThreads: number;
  fusedMultiplyAdd: boolean;
  losses: number[];
  digest: string;
}> {
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "test/model/thread-digest.ts"), String(threads), fma],
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
    expect(one.fusedMultiplyAdd).toBe(true); // the default
  }, 240_000);

  // Fused multiply-add rounds once per product where mul + add round twice: the switch must reach
  // the kernels (different bits), stay within float32 noise, and keep the thread counts identical.
  it("runs with and without fused multiply-add, differing only in the last bits", async () => {
    const [on, off, offTwo] = await Promise.all([
      digestWith(1),
      digestWith(1, "no-fma"),
      digestWith(2, "no-fma"),
    ]);
    expect(on.fusedMultiplyAdd).toBe(true);
    expect(off.fusedMultiplyAdd).toBe(false);
    expect(off.digest).not.toBe(on.digest);
    for (let i = 0; i < on.losses.length; i++)
      expect(Math.abs(on.losses[i] - off.losses[i]) / Math.abs(off.losses[i])).toBeLessThan(1e-4);
    expect(offTwo.digest).toBe(off.digest);
  }, 240_000);
});
