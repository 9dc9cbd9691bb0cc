import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RewardConfigSchema } from "../../src/config/reward.js";
import { ServeConfigSchema } from "../../src/config/serve.js";
import { type Item, ItemSchema } from "../../src/data/item.js";
import type { RunningServer } from "../../src/serve/http.js";
import { rssFromMetrics, rssGrowth, runLoadTest } from "../../src/serve/load-test.js";
import { makeRewardScorer, rewardNeedsValue } from "../../src/serve/reward-scorer.js";
import { startRewardServer } from "../../src/serve/reward-server.js";
import { repoRoot } from "../helpers/cli.js";

const STRIP = ServeConfigSchema.parse({}).stripTokens;
const SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}.";
/** A Qwen2.5 chat-templated prompt, as OpenRLHF passes it in `prompts`. */
const chat = (q: string) =>
  `<|im_start|>system\n${SYSTEM}<|im_end|>\n<|im_start|>user\n${q}<|im_end|>\n<|im_start|>assistant\n`;

const choiceItem: Item = ItemSchema.parse({
  id: "gaokao/x/1",
  prompt: "Which is right? A. x B. y C. z D. w",
  reference: "B",
  answerType: "single_choice",
  examId: "2019|I|math",
  points: 6,
  examTotal: 150,
  value: 6 / 150,
  split: "train",
});

let dir: string;
let server: RunningServer;
let correctnessServer: RunningServer;

async function startInProcess(kind: "rlev" | "correctness", byId?: Map<string, Item>) {
  const reward = RewardConfigSchema.parse({ kind });
  return startRewardServer({
    scorer: makeRewardScorer({ reward }),
    labels: { byId, defaultAnswerType: "math", needsValue: rewardNeedsValue(kind) },
    stripTokens: STRIP,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlev-reward-"));
  server = await startInProcess("rlev", new Map([[choiceItem.id, choiceItem]]));
  correctnessServer = await startInProcess("correctness");
});
afterAll(async () => {
  await server.close();
  await correctnessServer.close();
  await rm(dir, { recursive: true, force: true });
});

async function post(url: string, body: unknown) {
  const r = await fetch(`${url}/get_reward`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: r.status, json: await r.json() };
}

// Five samples in OpenRLHF's shape: query = prompt + response decoded with special tokens kept.
const q0 = chat("What is 1+1?");
const q1 = chat("What is 3+5?");
const q2 = chat("What is 1/2?");
const q3 = chat(choiceItem.prompt);
const batch = {
  query: [
    `${q0}1+1 = 2, so \\boxed{2}<|im_end|><|endoftext|><|endoftext|>`,
    // Left padding before the prompt, as non-packed OpenRLHF batches decode it.
    `<|endoftext|><|endoftext|>${q1}I think it is \\boxed{7}<|im_end|>`,
    `${q2}The answer is \\boxed{0.5}</s>`,
    `${q3}The answer is B.<|im_end|>`,
    `${q3}The answer is C.<|im_end|>`,
  ],
  prompts: [q0, q1, q2, q3, q3],
  labels: [
    '{"id":"a","reference":"2","answerType":"number","value":0.02}',
    '{"reference":"8","answerType":"number","value":0.5}',
    { reference: "\\frac{1}{2}", value: 0.05 },
    "gaokao/x/1",
    '{"id":"gaokao/x/1"}',
  ],
};

describe("rlev serve reward: OpenRLHF's remote reward contract", () => {
  it("scores a batch with RLEV rewards, 0/1 scores and numeric extra_logs", async () => {
    const { status, json } = await post(server.url, batch);
    expect(status).toBe(200);
    // s(x) = 1 + min(10·v, 1): v = 0.02 → 1.2; 0.5 → 2; 0.05 → 1.5; 6/150 = 0.04 → 1.4.
    // Correct: samples 0 (2 = 2), 2 (0.5 = 1/2), 3 (B); wrong: 1 (7 ≠ 8), 4 (C ≠ B).
    const expected = [1.2, 0, 1.5, 1.4, 0];
    json.rewards.forEach((r: number, i: number) => {
      expect(r).toBeCloseTo(expected[i], 12);
    });
    expect(json.scores).toEqual([1, 0, 1, 1, 0]);
    const logs = json.extra_logs;
    expect(Object.keys(logs).sort()).toEqual(
      ["pred_found", "pred_len", "prompt_found", "response_len", "scale", "value", "verify_timeout"].sort(),
    );
    for (const k of Object.keys(logs)) {
      expect(logs[k]).toHaveLength(5);
      for (const x of logs[k]) expect(typeof x).toBe("number");
    }
    logs.scale.forEach((s: number, i: number) => {
      expect(s).toBeCloseTo([1.2, 2, 1.5, 1.4, 1.4][i], 12);
    });
    expect(logs.value.map((v: number) => Number(v.toFixed(6)))).toEqual([0.02, 0.5, 0.05, 0.04, 0.04]);
    expect(logs.prompt_found).toEqual([1, 1, 1, 1, 1]);
    expect(logs.pred_found).toEqual([1, 1, 1, 1, 1]);
    // pred "2", "7", "0.5", "B", "C".
    expect(logs.pred_len).toEqual([1, 1, 3, 1, 1]);
    // Trailing special tokens are stripped: "1+1 = 2, so \boxed{2}" is 21 characters.
    expect(logs.response_len[0]).toBe(21);
    expect(logs.verify_timeout).toEqual([0, 0, 0, 0, 0]);
  });

  it("answers a one-sample request with scalars", async () => {
    const { status, json } = await post(server.url, {
      query: `${q0}\\boxed{2}<|im_end|>`,
      prompts: q0,
      labels: '{"reference":"2","value":0.1}',
    });
    expect(status).toBe(200);
    // v = 0.1: s = 1 + min(1, 1) = 2.
    expect(json.rewards).toBeCloseTo(2, 12);
    expect(json.scores).toBe(1);
    expect(json.extra_logs.value).toBe(0.1);
  });

  it("verifies the whole query when the prompt is not in it, and says so", async () => {
    const { json } = await post(server.url, {
      query: ["no template here \\boxed{2}"],
      prompts: ["something else"],
      labels: ['{"reference":"2","value":0.02}'],
    });
    expect(json.scores).toEqual([1]);
    expect(json.extra_logs.prompt_found).toEqual([0]);
  });

  it("takes bare references under the correctness reward", async () => {
    const { status, json } = await post(correctnessServer.url, {
      query: [`${q0}\\boxed{2}`, `${q0}\\boxed{3}`],
      prompts: [q0, q0],
      labels: ["2", "2"],
    });
    expect(status).toBe(200);
    expect(json.rewards).toEqual([1, 0]);
    expect(json.scores).toEqual([1, 0]);
  });

  it.each([
    [[], /must be a JSON object/],
    [{ query: ["a"], prompts: ["a", "b"], labels: ["x"] }, /"prompts" has 2 entries but "query" has 1/],
    [{ query: ["a"], prompts: ["a"] }, /"labels" must be a list/],
    [{ query: [1], prompts: ["a"], labels: ["x"] }, /"query\[0\]" must be a string/],
    [
      { query: ["a"], prompts: ["a"], labels: ["two"] },
      /labels\[0\]: "two" is neither a JSON label nor a known item id/,
    ],
    [{ query: ["a"], prompts: ["a"], labels: ['{"reference":"2"}'] }, /labels\[0\]: missing "value"/],
    [{ query: ["a"], prompts: ["a"], labels: ['{"reference":"2","value":3}'] }, /labels\[0\]\.value/],
    [
      { query: ["a"], prompts: ["a"], labels: ['{"reference":'] },
      /labels\[0\]: looks like JSON but does not parse/,
    ],
    [{ query: ["a"], prompts: ["a"], labels: [{ id: "nope" }] }, /unknown id "nope"/],
  ])("rejects %j with 400 and a message", async (body, message) => {
    const { status, json } = await post(server.url, body);
    expect(status).toBe(400);
    expect(json.error.message).toMatch(message);
    expect(JSON.stringify(json)).not.toMatch(/\.ts:|at \w+ \(/);
  });

  it("serves /health and Prometheus /metrics", async () => {
    await post(server.url, batch);
    const h = await fetch(`${server.url}/health`);
    expect(await h.json()).toMatchObject({ status: "ok", service: "reward" });
    const m = await fetch(`${server.url}/metrics`);
    expect(m.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await m.text();
    expect(text).toMatch(/^# TYPE rlev_reward_samples_total counter$/m);
    expect(text).toMatch(/^rlev_http_requests_total\{code="200",path="\/get_reward"\} \d+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});

const hasPythonRequests = spawnSync("python3", ["-c", "import requests"]).status === 0;

describe.skipIf(!hasPythonRequests)("with OpenRLHF's own client code (Python requests)", () => {
  it("answers what request_api_wrapper sends", async () => {
    // Asynchronous: the server under test runs in this process.
    const py = spawn("python3", [
      join(repoRoot, "test/serve/openrlhf_client.py"),
      `${server.url}/get_reward`,
    ]);
    let stdout = "";
    py.stdout.on("data", (d) => (stdout += d));
    py.stdin.end(JSON.stringify(batch));
    const code = await new Promise((resolve) => py.on("close", resolve));
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.scores).toEqual([1, 0, 1, 1, 0]);
    expect(json.rewards[0]).toBeCloseTo(1.2, 12);
  });
});
if (!hasPythonRequests) console.warn("SKIP OpenRLHF client test: python3 with requests is not installed");

/** Starts `rlev serve reward` as a child process; resolves with its URL. */
function spawnServer(args: string[]) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "src/cli/run-main.ts"), "serve", "reward", "--port", "0", ...args],
    {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (d) => {
      stderr += d;
      const m = /listening on (http:\/\/[^\s/]+)/.exec(stderr);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, url, exited, stderr: () => stderr };
}

describe("rlev serve reward (CLI)", () => {
  it("loads a dataset, serves, and drains on SIGTERM", async () => {
    const data = join(dir, "items.jsonl");
    await writeFile(data, `${JSON.stringify(choiceItem)}\n`);
    const s = spawnServer(["--data", data]);
    const url = await s.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { json } = await post(url, { query: [`${q3}B`], prompts: [q3], labels: ["gaokao/x/1"] });
    expect(json.rewards[0]).toBeCloseTo(1.4, 12);
    // A response past serve.guardAboveChars (20,000) is verified in the worker pool: same verdict.
    const long = `${"Let me think. ".repeat(2000)}The answer is \\boxed{2}`;
    const g = await post(url, {
      query: [`${q0}${long}`],
      prompts: [q0],
      labels: ['{"reference":"2","value":0.02}'],
    });
    expect(g.json.scores).toEqual([1]);
    expect(g.json.rewards[0]).toBeCloseTo(1.2, 12);
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toMatch(/SIGTERM received/);
  });

  it("takes 64 concurrent clients with malformed requests mixed in: no lost or wrong reply, flat RSS", async () => {
    const token = "load-test-token";
    const s = spawnServer(["--token", token]);
    const url = await s.url;
    const values = [0.02, 0.05, 0.2];
    const result = await runLoadTest({
      url,
      path: "/get_reward",
      clients: 64,
      durationMs: 5_000,
      token,
      sampleRss: () => rssFromMetrics(url, token),
      makeRequest: (c, i) => {
        const kind = (c * 7 + i) % 10;
        if (kind === 0)
          return { body: '{"query": [', check: (st) => (st === 400 ? null : `invalid JSON got ${st}`) };
        if (kind === 1)
          return {
            body: JSON.stringify({ query: ["x", "y"], prompts: ["x"], labels: ["1", "2"] }),
            check: (st, b) =>
              st === 400 && JSON.parse(b).error.message === '"prompts" has 1 entries but "query" has 2'
                ? null
                : `mismatch got ${st}: ${b}`,
          };
        // A group of 4 samples of one prompt, some right and some wrong.
        const a = (c + i) % 50;
        const b = (c * 3 + i) % 50;
        const v = values[(c + i) % 3];
        const p = chat(`What is ${a}+${b}?`);
        const right = [true, (i & 1) === 0, false, (c & 1) === 1];
        const body = JSON.stringify({
          query: right.map((ok) => `${p}\\boxed{${ok ? a + b : a + b + 1}}<|im_end|>`),
          prompts: right.map(() => p),
          labels: right.map(() => JSON.stringify({ reference: String(a + b), value: v })),
        });
        return {
          body,
          check: (st, text) => {
            if (st !== 200) return `status ${st}: ${text.slice(0, 100)}`;
            const j = JSON.parse(text);
            for (let k = 0; k < 4; k++) {
              // Spec §1 by hand: r = (1 + min(10 v, 1)) · correct.
              const want = right[k] ? 1 + Math.min(10 * v, 1) : 0;
              if (Math.abs(j.rewards[k] - want) > 1e-9 || j.scores[k] !== (right[k] ? 1 : 0))
                return `sample ${k}: reward ${j.rewards[k]} score ${j.scores[k]}, want ${want}`;
            }
            return null;
          },
        };
      },
    });
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    expect(result.firstProblems).toEqual([]);
    expect(result.lost).toBe(0);
    expect(result.wrong).toBe(0);
    expect(result.requests).toBeGreaterThan(64);
    expect(result.statuses["400"]).toBeGreaterThan(0);
    // Memory stays bounded: the last quarter's peak is within 64 MiB of the first quarter's.
    expect(result.rssBytes.length).toBeGreaterThanOrEqual(8);
    expect(rssGrowth(result.rssBytes)).toBeLessThan(64 * 1024 * 1024);
    console.log(
      `load test: ${result.requests} requests in ${result.seconds.toFixed(1)} s (${result.requestsPerSecond.toFixed(0)}/s), p99 ${result.latencyMs.p99.toFixed(1)} ms, RSS ${(result.rssBytes[0] / 2 ** 20).toFixed(0)} → ${(result.rssBytes.at(-1)! / 2 ** 20).toFixed(0)} MiB`,
    );
  });
});

describe.skipIf(!hasPythonRequests)("examples/verl/rlev_reward.py (verl's compute_score hook)", () => {
  it("scores responses through the reward server, with the label written by rlev export verl", async () => {
    const { toVerlRow } = await import("../../src/export/verl.js");
    const row = toVerlRow(choiceItem, 0);
    const script = [
      "import json, sys",
      `sys.path.insert(0, ${JSON.stringify(join(repoRoot, "examples/verl"))})`,
      "from rlev_reward import compute_score",
      "row = json.loads(sys.stdin.read())",
      "out = [compute_score(row['data_source'], s, row['reward_model']['ground_truth'], row['extra_info']) for s in ('The answer is B.', 'The answer is D.')]",
      "print(json.dumps(out))",
    ].join("\n");
    const py = spawn("python3", ["-c", script], {
      env: { ...process.env, RLEV_REWARD_URL: `${server.url}/get_reward` },
    });
    let stdout = "";
    let stderr = "";
    py.stdout.on("data", (d) => (stdout += d));
    py.stderr.on("data", (d) => (stderr += d));
    py.stdin.end(JSON.stringify(row));
    const code = await new Promise((resolve) => py.on("close", resolve));
    expect(code, stderr).toBe(0);
    const [right, wrong] = JSON.parse(stdout);
    // v = 6/150 = 0.04: s = 1.4.
    expect(right.score).toBeCloseTo(1.4, 12);
    expect(right).toMatchObject({ acc: 1, pred: "B" });
    expect(wrong).toMatchObject({ score: 0, acc: 0, pred: "D" });
  });
});
