import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ItemSchema } from "../../src/data/item.js";
import { parseScore, pearson, predictionReport, valuePredictionPrompt } from "../../src/values/predict.js";
import { runCli } from "../helpers/cli.js";
import { FakeOpenAI } from "./fake-openai.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlev-vpred-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SPEC_PHRASE =
  "output a numeric score greater than 0 and up to 150 inclusive (decimals allowed) that reflects how much this problem would contribute in a 150-point exam; respond with only the score";

describe("value prediction", () => {
  it("asks with the paper's scoring prompt (docs/method.md#rlev-reward), total substituted", () => {
    const p = valuePredictionPrompt("Solve x+1=2.", 150);
    expect(p.toLowerCase()).toContain(SPEC_PHRASE);
    expect(p).toContain("Solve x+1=2.");
    expect(p).not.toContain("{");
  });

  it.each([
    ["5", 150, 5],
    ["Score: 12.5 points", 150, 12.5],
    ["<think>maybe 200?</think>7", 150, 7],
    ["5/150", 150, 5],
    ["\\boxed{6}", 150, 6],
    ["1,000", 2000, 1000],
    ["150", 150, 150],
  ])("parses %j (total %d) as %d", (reply, total, score) => {
    expect(parseScore(reply, total)).toEqual({ ok: true, score });
  });

  it.each([
    ["0", 150, /not greater than 0/],
    ["-3", 150, /not greater than 0/],
    ["151", 150, /exceeds the total 150/],
    ["no idea", 150, /no number/],
  ])("rejects %j (total %d)", (reply, total, reason) => {
    const r = parseScore(reply, total);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it("computes Pearson's r as worked by hand", () => {
    // x = [1,2,3], y = [2,4,7]: dx = (-1,0,1), dy = (-7/3,-1/3,8/3); sxy = 5, sxx = 2, syy = 114/9;
    // r = 5 / sqrt(2 · 114/9) = 5 / 5.033223 = 0.993399.
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(0.993399, 5);
    expect(pearson([1, 1, 1], [2, 4, 7])).toBeNaN();
    expect(pearson([1], [2])).toBeNaN();
  });

  it("reports no correlation where no item has a true value", () => {
    const item = ItemSchema.parse({
      id: "a",
      prompt: "p",
      reference: "1",
      answerType: "number",
      examId: "e",
      points: 1,
      examTotal: 100,
      value: 0.3,
      meta: { valueSource: "weak" },
    });
    const r = predictionReport([{ item, reply: "5", parsed: { ok: true, score: 5 }, total: 100 }]);
    expect(r).toMatchObject({ predicted: 1, compared: 0, pearson: null, exactMatch: null });
  });
});

describe("rlev values predict (CLI) against a loopback endpoint", () => {
  it("writes predicted values and reports r, exact match and MAE against true values", async () => {
    const points = [5, 10, 3, 12];
    const replies = ["5", "12 points", "3", "200"];
    const fake = new FakeOpenAI({
      reply: (prompt) => {
        const m = /Question (\d)\./.exec(prompt);
        return m ? replies[Number(m[1])] : undefined;
      },
    });
    await fake.start();
    try {
      const items = points.map((p, i) =>
        ItemSchema.parse({
          id: `q${i}`,
          prompt: `Question ${i}. Compute something.`,
          reference: "1",
          answerType: "number",
          examId: "e1",
          points: p,
          examTotal: 150,
          value: p / 150,
        }),
      );
      const input = join(dir, "items.jsonl");
      await writeFile(input, items.map((i) => JSON.stringify(i)).join("\n"));
      const output = join(dir, "predicted.jsonl");
      const args = [
        "values",
        "predict",
        "--endpoint",
        fake.url,
        "--model",
        "judge",
        "--input",
        input,
        "--output",
        output,
      ];
      const r = await runCli(args);
      expect(r.stderr).not.toMatch(/Error|at /);
      expect(r.code).toBe(0);
      // True [5,10,3], predicted [5,12,3] (item 3 replied 200 > 150: invalid). Scale-free r:
      // dx = (-1,4,-3), dy = (-5/3,16/3,-11/3); sxy = 34, sxx = 26, syy = 402/9; r = 34/sqrt(1161.33) = 0.997702.
      // Exact: 2 of 3. MAE = (2/150)/3 = 0.004444.
      expect(r.stdout).toContain("predicted 3/4 values (1 invalid), wrote 3 items");
      expect(r.stdout).toContain("pearson 0.9977, exact match 0.6667, mean abs error 0.004444");
      expect(r.stdout).toMatch(/invalid: score N exceeds the total N \(1\)/);
      const out = (await readFile(output, "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(out.map((o) => o.id)).toEqual(["q0", "q1", "q2"]);
      expect(out[1].value).toBeCloseTo(12 / 150, 15);
      expect(out[1].meta).toMatchObject({
        valueSource: "predicted",
        predictedScore: 12,
        predictedTotal: 150,
        trueValue: 10 / 150,
      });
      // A rerun answers from the cache: no new request reaches the endpoint.
      const before = fake.requests;
      const again = await runCli(args);
      expect(again.code).toBe(0);
      expect(fake.requests).toBe(before);
    } finally {
      await fake.stop();
    }
  });
});
