import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Item } from "../../src/data/item.js";
import { evaluatePolicy, writeEvaluation } from "../../src/eval/evaluate.js";
import type { Policy, SampleOptions, SampleResult } from "../../src/model/policy.js";
import { Tokenizer } from "../../src/model/tokenizer.js";
import { chainAnswer, renderPrompt, TASK_ALPHABET } from "../../src/task/format.js";

const tok = Tokenizer.fromAlphabet(TASK_ALPHABET);

function item(id: string, terms: number[], value: number): Item {
  return {
    id,
    prompt: renderPrompt(terms, 1, { showPoints: false }),
    reference: String(chainAnswer(terms, 10)),
    answerType: "number",
    examId: "e",
    points: 1,
    examTotal: 1,
    value,
    difficulty: terms.length - 1,
    split: "test",
    meta: { terms, steps: terms.length - 1, modulus: 10 },
  };
}

/**
 * A scripted stand-in for a model: answers each prompt with a fixed text, so that the
 * evaluation arithmetic can be checked by hand. (The real model is exercised by the CLI tests.)
 */
class ScriptedPolicy implements Policy {
  calls: { prompts: number; options: SampleOptions }[] = [];
  constructor(private readonly answers: Map<string, { text: string; finished: boolean }>) {}
  async sample(prompts: number[][], options: SampleOptions): Promise<SampleResult> {
    this.calls.push({ prompts: prompts.length, options });
    const out: SampleResult = { tokens: [], logprobs: [], eosProbs: [], finished: [] };
    for (const p of prompts) {
      const a = this.answers.get(tok.decode(p))!;
      const tokens = [...tok.encode(a.text), ...(a.finished ? [tok.eosId] : [])];
      out.tokens.push(tokens);
      out.logprobs.push(new Float32Array(tokens.length));
      // pi(EOS) rises linearly to 1 at the last token: 1/L, 2/L, ..., 1.
      out.eosProbs.push(Float32Array.from(tokens, (_, t) => (t + 1) / tokens.length));
      out.finished.push(a.finished);
    }
    return out;
  }
  async logprobs(): Promise<Float32Array> {
    throw new Error("not used");
  }
  async step(): Promise<never> {
    throw new Error("not used");
  }
}

describe("evaluatePolicy", () => {
  const items = [
    item("q1", [3, 5], 0.4), // worked, correct: "358A8" + EOS = 6 tokens
    item("q2", [1, 2, 3], 0.3), // worked, correct: "12336A6" + EOS = 8 tokens
    item("q3", [4, 4], 0.2), // direct, wrong: "A9" + EOS = 3 tokens
    item("q4", [9, 9, 9], 0.1), // direct, correct: "A7" + EOS = 3 tokens
    item("q5", [1, 1], 0.05), // truncated worked answer, no EOS: "1121212" = 7 tokens
  ];
  const answers = new Map([
    ["3+5=", { text: "358A8", finished: true }],
    ["1+2+3=", { text: "12336A6", finished: true }],
    ["4+4=", { text: "A9", finished: true }],
    ["9+9+9=", { text: "A7", finished: true }],
    ["1+1=", { text: "1121212", finished: false }],
  ]);

  it("grades greedily and computes every metric (worked out by hand)", async () => {
    const policy = new ScriptedPolicy(answers);
    const { rows, metrics } = await evaluatePolicy(policy, items, {
      codec: tok,
      maxNewTokens: 7,
      batchSize: 2,
      eosPrompts: 1,
      valueBuckets: 2,
      bootstrap: 200,
    });
    // Batches of 2 at one shape: the last batch (q5) is padded to 2 prompts; every call is greedy.
    expect(policy.calls.map((c) => c.prompts)).toEqual([2, 2, 2]);
    expect(policy.calls.every((c) => c.options.temperature === 0 && c.options.maxNewTokens === 7)).toBe(true);
    expect(rows.map((r) => [r.id, r.correct, r.worked, r.length, r.sample])).toEqual([
      ["q1", true, true, 6, "358A8"],
      ["q2", true, true, 8, "12336A6"],
      ["q3", false, false, 3, "A9"],
      ["q4", true, false, 3, "A7"],
      ["q5", false, true, 7, "1121212"],
    ]);
    // Acc 3/5; H-Acc (0.4 + 0.3 + 0.1) / 1.05; length (6+8+3+3+7)/5 = 5.4; density 100·H-Acc / 5.4.
    expect(metrics.acc).toBeCloseTo(0.6, 12);
    expect(metrics.hAcc).toBeCloseTo(0.8 / 1.05, 12);
    expect(metrics.meanLength).toBeCloseTo(5.4, 12);
    expect(metrics.valueDensity).toBeCloseTo((100 * 0.8) / 1.05 / 5.4, 10);
    expect(metrics.workedShare).toBeCloseTo(0.6, 12);
    expect(metrics.truncatedShare).toBeCloseTo(0.2, 12);
    // Top 20% of 5 prompts = q1 (correct); bottom 20% = q5 (truncated).
    expect(metrics.top20Acc).toBe(1);
    expect(metrics.bottom20Acc).toBe(0);
    // Difficulty 1: q1 (worked, right), q3 (direct, wrong), q5 (worked, truncated).
    expect(metrics.byDifficulty[0]).toMatchObject({ difficulty: 1, n: 3, accDirect: 0, accWorked: 0.5 });
    expect(metrics.byDifficulty[0].acc).toBeCloseTo(1 / 3, 12);
    expect(metrics.byDifficulty[1]).toMatchObject({
      difficulty: 2,
      n: 2,
      acc: 1,
      accWorked: 1,
      accDirect: 1,
    });
    // EOS trajectory of the single highest-value prompt q1 (6 tokens): 1/6, 2/6, ..., 1.
    expect(metrics.eos.high.meanEosProb.map((x) => Number(x.toFixed(5)))).toEqual(
      [1, 2, 3, 4, 5, 6].map((t) => Number((t / 6).toFixed(5))),
    );
    expect(metrics.eos.low.meanValue).toBe(0.05);
    const ci = metrics.intervals!.acc;
    expect(ci.lo).toBeLessThanOrEqual(0.6);
    expect(ci.hi).toBeGreaterThanOrEqual(0.6);
  });

  it("writes responses.jsonl and metrics.json", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rlev-eval-"));
    const result = await evaluatePolicy(new ScriptedPolicy(answers), items, {
      codec: tok,
      maxNewTokens: 7,
      batchSize: 8,
      eosPrompts: 2,
      valueBuckets: 1,
      bootstrap: 0,
    });
    const files = await writeEvaluation(dir, result, { checkpoint: "x" });
    const lines = (await readFile(files.responses, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({
      id: "q1",
      value: 0.4,
      correct: true,
      length: 6,
      difficulty: 1,
      sample: "358A8",
      worked: true,
    });
    const metrics = JSON.parse(await readFile(files.metrics, "utf8"));
    expect(metrics).toMatchObject({ checkpoint: "x", n: 5 });
    expect(metrics.acc).toBeCloseTo(0.6, 12);
    expect(metrics.eos.high.prompts).toBe(2);
    expect(metrics.intervals).toBeUndefined();
  });
});
