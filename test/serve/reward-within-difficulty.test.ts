import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RewardConfigSchema } from "../../src/config/reward.js";
import { ServeConfigSchema } from "../../src/config/serve.js";
import { type Item, ItemSchema } from "../../src/data/item.js";
import type { RunningServer } from "../../src/serve/http.js";
import { makeRewardScorer, rewardNeedsValue } from "../../src/serve/reward-scorer.js";
import { startRewardServer } from "../../src/serve/reward-server.js";

// The within-difficulty controls over real HTTP on 127.0.0.1: difficulty comes with each label, or from
// a loaded item's id; without it the request fails with a clear 400.
const item = (id: string, value: number, difficulty: number): Item =>
  ItemSchema.parse({
    id,
    prompt: `q ${id}`,
    reference: "7",
    answerType: "number",
    examId: "e",
    points: value * 50,
    examTotal: 50,
    value,
    difficulty,
    split: "train",
  });
// Difficulty 5: s = 1.2 and 2.0 (v 0.02, 0.18) → s̄(5) = 1.6; difficulty 2: s = 1.2 only.
const train = [item("a", 0.02, 5), item("b", 0.18, 5), item("c", 0.02, 2)];
const STRIP = ServeConfigSchema.parse({}).stripTokens;
let ubd: RunningServer;
let sw: RunningServer;

const start = (kind: "uniform-by-difficulty" | "shuffled-within") =>
  startRewardServer({
    scorer: makeRewardScorer({ reward: RewardConfigSchema.parse({ kind, shuffleSeed: 3 }), train }),
    labels: {
      byId: new Map(train.map((i) => [i.id, i])),
      defaultAnswerType: "number",
      needsValue: rewardNeedsValue(kind),
    },
    stripTokens: STRIP,
  });

beforeAll(async () => {
  ubd = await start("uniform-by-difficulty");
  sw = await start("shuffled-within");
});
afterAll(async () => {
  await ubd.close();
  await sw.close();
});

async function post(url: string, labels: unknown[]) {
  const r = await fetch(`${url}/get_reward`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: labels.map(() => "q: the answer is \\boxed{7}"),
      prompts: labels.map(() => "q: "),
      labels: labels.map((l) => JSON.stringify(l)),
    }),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

describe("reward server: uniform-by-difficulty and shuffled-within", () => {
  it("scales a correct answer by its difficulty's mean s(x), from the label's difficulty or the item's", async () => {
    const r = await post(ubd.url, [
      { reference: "7", value: 0.18, difficulty: 5 },
      { reference: "7", difficulty: 2 },
      { id: "a" },
    ]);
    expect(r.status).toBe(200);
    const rewards = r.json.rewards as number[];
    expect(rewards[0]).toBeCloseTo(1.6, 12);
    expect(rewards[1]).toBeCloseTo(1.2, 12);
    expect(rewards[2]).toBeCloseTo(1.6, 12);
  });

  it("answers 400 naming the label when the difficulty is missing or unknown", async () => {
    const missing = await post(ubd.url, [{ reference: "7", value: 0.1 }]);
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.json)).toMatch(/labels\[0\].*needs the item's difficulty/);
    const unknown = await post(ubd.url, [{ reference: "7", difficulty: 9 }]);
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.json)).toMatch(/no train item has difficulty 9/);
  });

  it("shuffled-within rewards a train item with a value of its own difficulty", async () => {
    const r = await post(sw.url, [{ id: "a" }, { id: "c" }]);
    expect(r.status).toBe(200);
    const [ra, rc] = r.json.rewards as number[];
    // a's shuffled value is 0.02 or 0.18 (s 1.2 or 2.0); c is alone at difficulty 2 and keeps 0.02.
    expect([1.2, 2].some((s) => Math.abs(ra - s) < 1e-12)).toBe(true);
    expect(rc).toBeCloseTo(1.2, 12);
  });
});

describe("rlev serve reward with a within-difficulty control (CLI)", () => {
  it("refuses to start without the train items, naming --data; an unknown kind names the known ones", async () => {
    const { runCli } = await import("../helpers/cli.js");
    const r = await runCli(["serve", "reward", "--set", "reward.kind=shuffled-within"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/shuffled-within needs the train set.*--data/);
    const bad = await runCli(["serve", "reward", "--set", "reward.kind=uniform-by-length"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/reward\.kind/);
    expect(bad.stderr).toMatch(/uniform-by-difficulty/);
  }, 60_000);
});
