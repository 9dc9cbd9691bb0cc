import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { SftConfigSchema } from "../../src/config/sft.js";
import { warmupSettings } from "../../src/experiment/warmup.js";
import { runSft, workedShareFor } from "../../src/train/sft.js";
import { tempDir, tinyConfig } from "./tiny.js";

describe("warm-up", () => {
  it("leaves a policy with both habits: accuracy well above zero and well below 100%", async () => {
    // A small, fast version of the full warm-up (the full one is `rlev sft`, see the README):
    // difficulties 1–3, a 2-layer model of width 64, 450 steps. (At 350 steps the k = 3 habit was at a
    // tipping point: worked accuracy 0.55 or 0.23 depending on the arithmetic's last bits, engine FMA
    // off or on; at 450 it is 0.65 / 0.64 against direct 0.12 / 0.04.)
    const cfg = tinyConfig({
      seed: 1,
      model: { dModel: 64, nLayers: 2, nHeads: 4, dMlp: 128, contextLength: 32 },
      task: { maxSteps: 3, trainExams: 20, testExams: 6, questionsPerExam: 20 },
      sft: { steps: 450, batchSize: 32, lr: 3e-3, evalEvery: 0, checkpointEvery: 1000 },
      eval: { batchSize: 128, maxNewTokens: 12 },
    });
    const result = await runSft(cfg, await tempDir("rlev-warmup-"));
    const sampled = result.sampled!;
    const byD = new Map(sampled.byDifficulty.map((d) => [d.difficulty, d]));
    console.info(
      `warm-up test: sampled Acc ${sampled.acc.toFixed(3)}, worked share ${sampled.workedShare.toFixed(3)}; ` +
        sampled.byDifficulty
          .map((d) => `d${d.difficulty}: worked ${d.accWorked?.toFixed(2)} direct ${d.accDirect?.toFixed(2)}`)
          .join(", "),
    );
    // Chance for a well-formed answer is 10%; a perfect policy would score 100%.
    expect(sampled.acc).toBeGreaterThan(0.3);
    expect(sampled.acc).toBeLessThan(0.9);
    // Both habits survive: neither worked nor direct answers take over.
    expect(sampled.workedShare).toBeGreaterThan(0.2);
    expect(sampled.workedShare).toBeLessThan(0.9);
    // Worked answers beat direct ones on the hardest questions, where a direct answer is a guess.
    expect(byD.get(3)!.accWorked!).toBeGreaterThan(byD.get(3)!.accDirect! + 0.25);
  }, 240_000);
});

describe("worked share by chain length", () => {
  it("uses the share listed for a question's chain length, else sft.workedShare", () => {
    const sc = SftConfigSchema.parse({ workedShare: 0.5, workedShareBySteps: { "1": 1, "4": 0 } });
    expect(workedShareFor(sc, 1)).toBe(1);
    expect(workedShareFor(sc, 4)).toBe(0);
    expect(workedShareFor(sc, 5)).toBe(0.5);
    expect(workedShareFor(sc, undefined)).toBe(0.5);
  });

  it("rejects keys that are not chain lengths and shares outside [0, 1]", () => {
    expect(SftConfigSchema.safeParse({ workedShareBySteps: { k5: 0.5 } }).success).toBe(false);
    expect(SftConfigSchema.safeParse({ workedShareBySteps: { "0": 0.5 } }).success).toBe(false);
    expect(SftConfigSchema.safeParse({ workedShareBySteps: { "5": 1.5 } }).success).toBe(false);
  });

  // Absent, not {}: the committed warm-ups' settings hashes must not change with the new option.
  it("leaves the warm-up settings of a config without it unchanged", () => {
    const settings = warmupSettings(parseConfig({}));
    expect(Object.keys(settings.sft)).not.toContain("workedShareBySteps");
  });
});
