import { describe, expect, it } from "vitest";
import { RewardConfigSchema } from "../../src/config/reward.js";
import { RlConfigSchema } from "../../src/config/rl.js";
import { checkConfig, eosLogitGradient, expectedEosLogitGradient, rolloutStats } from "../../src/rl/index.js";

describe("EOS-logit gradient (docs/method.md#end-of-sequence-gradient)", () => {
  it("sums A·(1[y_t = EOS] − π_eos,t) over positions", () => {
    // tokens [5, 7, EOS=2], π_eos [0.1, 0.2, 0.6], A = 2: 2·(-0.1 - 0.2 + 0.4) = 0.2.
    expect(eosLogitGradient(2, [0.1, 0.2, 0.6], [5, 7, 2], 2)).toBeCloseTo(0.2, 12);
    expect(() => eosLogitGradient(1, [0.1], [1, 2], 2)).toThrow(/eosProbs/);
  });
  it("its expectation over stopping or not is the paper's s·π_e(1−π_e)(p_e − p_¬e)", () => {
    // One position: stop w.p. π (reward s·p_e in expectation) or continue w.p. 1−π (s·p_¬e).
    for (const [s, pi, pe, pc] of [
      [1.3, 0.2, 0.9, 0.4],
      [2, 0.7, 0.1, 0.8],
      [1, 0.5, 0.5, 0.5],
    ]) {
      const stop = eosLogitGradient(s * pe, [pi], [0], 0);
      const cont = eosLogitGradient(s * pc, [pi], [1], 0);
      expect(pi * stop + (1 - pi) * cont).toBeCloseTo(expectedEosLogitGradient(s, pi, pe, pc), 12);
    }
    // By hand: s = 2, π = 0.5, p_e = 1, p_¬e = 0 → 2·0.25·1 = 0.5.
    expect(expectedEosLogitGradient(2, 0.5, 1, 0)).toBe(0.5);
  });
});

describe("checkConfig", () => {
  const reward = (o: object) => RewardConfigSchema.parse(o);
  const rl = (o: object) => RlConfigSchema.parse(o);
  it("warns that std-normalized GRPO cancels the RLEV value and suggests the variants", () => {
    const w = checkConfig(reward({ kind: "rlev" }), rl({ estimator: "grpo" }));
    const c = w.find((x) => x.code === "grpo-cancels-value");
    expect(c?.message).toMatch(/cancel|divides .* out exactly/);
    expect(c?.message).toMatch(/drgrpo/);
    expect(c?.message).toMatch(/grpo_batch_std/);
    expect(c?.message).toMatch(/grpo_value/);
  });
  it("is silent for RLEV with estimators where the value survives", () => {
    for (const estimator of ["drgrpo", "grpo_batch_std", "grpo_value", "rloo"])
      expect(checkConfig(reward({ kind: "rlev" }), rl({ estimator }))).toEqual([]);
    expect(checkConfig(reward({ kind: "correctness" }), rl({ estimator: "grpo" }))).toEqual([]);
  });
  it("flags the scale confound of a length cost and other oddities", () => {
    const codes = (r: object, l: object) => checkConfig(reward(r), rl(l)).map((x) => x.code);
    expect(codes({ kind: "rlev", lengthCost: 0.1 }, { estimator: "rloo" })).toContain("scale-confound");
    expect(codes({ kind: "rlev", lengthCost: 0.1 }, { estimator: "grpo" })).toContain("grpo-cancels-value");
    expect(codes({ kind: "correctness" }, { estimator: "grpo_value" })).toContain("grpo-value-without-value");
    expect(codes({ kind: "rlev" }, { estimator: "rloo", clipHigh: 0.1 })).toContain("clip-higher-inverted");
    expect(codes({ kind: "correctness" }, { estimator: "rloo", klPlacement: "reward" })).toContain(
      "kl-in-sequence-reward",
    );
  });
});

describe("rolloutStats (docs/method.md#step-statistics names)", () => {
  it("summarizes scores, rewards, advantages over valid tokens and lengths", () => {
    // Advantages over valid tokens only: [1, 1, -1] → mean 1/3, max 1, min -1 (the masked 9 is ignored).
    // Lengths [2, 4] with cap 4 → mean 3, clip ratio 1/2.
    const s = rolloutStats({
      scores: [1, 0],
      rewards: [1.5, 0],
      advantages: [1, 1, 9, 9, -1, 9, 9, 9],
      mask: [1, 1, 0, 0, 1, 0, 0, 0],
      lengths: [2, 4],
      maxResponseLength: 4,
    });
    expect(s["critic/score/mean"]).toBe(0.5);
    expect(s["critic/rewards/mean"]).toBe(0.75);
    expect(s["critic/advantages/mean"]).toBeCloseTo(1 / 3, 12);
    expect(s["critic/advantages/max"]).toBe(1);
    expect(s["critic/advantages/min"]).toBe(-1);
    expect(s["response_length/mean"]).toBe(3);
    expect(s["response_length/clip_ratio"]).toBe(0.5);
  });
});
