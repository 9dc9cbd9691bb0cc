import { afterAll, describe, expect, it } from "vitest";
import { Rng } from "../../src/util/rng.js";
import { VerifierPool } from "../../src/verify/pool.js";
import type { Verdict } from "../../src/verify/types.js";
import { VerifierRegistry } from "../../src/verify/verifiers.js";
import { hostileInput, slowInput } from "./hostile.js";

describe("VerifierPool", () => {
  const pool = new VerifierPool({ threads: 2, timeoutMs: 3_000 });
  afterAll(() => pool.close());

  it("verifies in workers and keeps input order", async () => {
    const verdicts = await pool.verifyMany([
      { reference: "\\frac{1}{2}", response: "so \\boxed{0.5}" },
      { reference: "3", response: "\\boxed{4}" },
      { reference: "BC", response: "故选CB", answerType: "multi_choice" },
      { reference: "7", response: "no number here", mode: "full" },
    ]);
    expect(verdicts.map((v) => [v.correct, v.reason])).toEqual([
      [true, "equal"],
      [false, "not_equal"],
      [true, "equal"],
      [false, "no_answer"],
    ]);
    expect(pool.stats()).toMatchObject({ ok: 4, timeout: 0, crashed: 0, restarted: 0 });
  });

  it("times out a slow item, replaces its worker, and goes on", async () => {
    const fast = new VerifierPool({ threads: 1, timeoutMs: 100 });
    try {
      const [slow, after] = await Promise.all([
        fast.verify({ reference: "1", response: slowInput(), mode: "answer" }),
        fast.verify({ reference: "2", response: "\\boxed{2}" }),
      ]);
      expect(slow).toEqual({ correct: false, score: 0, pred: null, reason: "timeout", method: "given" });
      expect(after).toMatchObject({ correct: true, reason: "equal" });
      expect(fast.stats()).toMatchObject({ ok: 1, timeout: 1, restarted: 1 });
    } finally {
      await fast.close();
    }
  });

  it("runs a registered judge on the main thread under the same limit", async () => {
    const registry = new VerifierRegistry().register("free_text", {
      name: "never-answers",
      verify: () => new Promise<Verdict>(() => {}),
    });
    const judged = new VerifierPool({ threads: 1, timeoutMs: 50, registry });
    try {
      const v = await judged.verify({ reference: "x", response: "y", answerType: "free_text" });
      expect(v.reason).toBe("timeout");
      expect(judged.stats().timeout).toBe(1);
    } finally {
      await judged.close();
    }
  });

  it("rejects work after close", async () => {
    const p = new VerifierPool({ threads: 1 });
    await p.close();
    await expect(p.verify({ reference: "1", response: "1" })).rejects.toThrow(/closed/);
  });
});

describe("10,000 hostile inputs", () => {
  it("all finish with a verdict; failures are counted, none silent", async () => {
    const pool = new VerifierPool({ threads: 2, timeoutMs: 1_000 });
    try {
      const rng = new Rng(20251020);
      const inputs = Array.from({ length: 10_000 }, (_, i) => ({
        reference: i % 3 === 0 ? "\\frac{1}{2}" : hostileInput(rng, i + 7),
        // Every 1000th item is seconds of exact arithmetic: it should hit the limit.
        response: i % 1000 === 999 ? slowInput() : hostileInput(rng, i),
        mode: (i % 2 === 0 ? "answer" : "full") as "answer" | "full",
      }));
      const verdicts = await pool.verifyMany(inputs);
      expect(verdicts).toHaveLength(10_000);
      const byReason = new Map<string, number>();
      for (const v of verdicts) byReason.set(String(v.reason), (byReason.get(String(v.reason)) ?? 0) + 1);
      const s = pool.stats();
      // Every timeout and crash verdict is in the stats, and the stats add up to the inputs.
      expect(s.timeout).toBe(byReason.get("timeout") ?? 0);
      expect(s.crashed).toBe(byReason.get("crash") ?? 0);
      expect(s.unparseable).toBe(byReason.get("unparseable") ?? 0);
      expect(s.ok + s.timeout + s.crashed).toBe(10_000);
      // Hostile text never counts as a correct answer to 1/2.
      const wronglyAccepted = verdicts.filter((v, i) => v.correct && i % 3 === 0);
      expect(wronglyAccepted).toEqual([]);
      console.log(
        `hostile inputs by reason: ${JSON.stringify(Object.fromEntries(byReason))}; stats ${JSON.stringify(s)}`,
      );
    } finally {
      await pool.close();
    }
  }, 600_000);
});
