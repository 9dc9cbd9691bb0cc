import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runCli } from "../helpers/cli.js";
import { tempDir } from "../train/tiny.js";

/**
 * The trainers' side, in real Python: verl's compute_score hook, OpenRLHF's one-sample request
 * and TRL's reward-function call, each against a live `rlev serve reward` on 127.0.0.1 and on
 * rows written by `rlev export`. α = 10: s(x) = 1 + min(10·v, 1).
 */

const hasPython = spawnSync("python3", ["-c", "import sys"]).status === 0;
const hasRequests = hasPython && spawnSync("python3", ["-c", "import requests"]).status === 0;
if (!hasPython) console.warn("SKIP Python trainer tests: python3 is not installed");
else if (!hasRequests)
  console.warn("SKIP OpenRLHF request test: python3 has no `requests` (apt-get install python3-requests)");

const items = [
  { id: "gsm8k/train/1", prompt: "What is 3+4?", reference: "7", value: 0.04 }, // s = 1.4
  { id: "gsm8k/train/2", prompt: "What is 6*7?", reference: "42", value: 0.25 }, // s = 2 (capped)
  { id: "gsm8k/train/3", prompt: "What is 10-3?", reference: "7", value: 0.01 }, // s = 1.1
].map((x, i) => ({
  ...x,
  answerType: "number",
  examId: "exam-1",
  points: x.value * 100,
  examTotal: 100,
  split: "train",
  difficulty: i + 1,
}));
const scale = (v: number) => 1 + Math.min(10 * v, 1);

let dir: string;
let server: ChildProcess | undefined;
let url = "";
let serverStderr = "";

function python(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // No __pycache__ folders in the examples: the tests leave the tree as they found it.
    const py = spawn("python3", args, { env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", ...env } });
    let stdout = "";
    let stderr = "";
    py.stdout.on("data", (d) => (stdout += d));
    py.stderr.on("data", (d) => (stderr += d));
    py.on("error", reject);
    py.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Starts `rlev serve reward` as a child process; resolves with its URL and its stderr so far. */
function startServer(args: string[]): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "src/cli/run-main.ts"), "serve", "reward", "--port", "0", ...args],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (d) => {
      stderr += d;
      const m = /listening on (http:\/\/[^\s/]+)/.exec(stderr);
      if (m) resolve({ child, url: m[1], stderr: () => stderr });
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
}

async function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.on("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

beforeAll(async () => {
  dir = await tempDir("rlev-py-");
  await writeFile(join(dir, "items.jsonl"), items.map((x) => `${JSON.stringify(x)}\n`).join(""));
  if (!hasPython) return;
  const s = await startServer([
    "--set",
    "reward.kind=rlev",
    "--set",
    "reward.alpha=10",
    "--estimator",
    "rloo",
  ]);
  server = s.child;
  url = s.url;
  serverStderr = s.stderr();
}, 60_000);

afterAll(async () => {
  if (server) await stop(server);
});

describe.skipIf(!hasPython)("verl: examples/verl/rlev_reward.py called as verl calls it", () => {
  it("scores rows written by `rlev export verl` (JSONL): score = s(x)·correct, acc 0/1, the value logged", async () => {
    const rows = join(dir, "verl.jsonl");
    const ex = await runCli(["export", "verl", "--input", join(dir, "items.jsonl"), "--output", rows]);
    expect(ex.code, ex.stderr).toBe(0);
    const calls = [
      [0, "3 + 4 = 7, so the answer is \\boxed{7}.", false],
      [1, "6 times 7 is \\boxed{42}", true],
      [2, "10 - 3 = \\boxed{6}", false],
    ];
    const r = await python([join(repoRoot, "test/examples/verl_call.py"), rows, JSON.stringify(calls)], {
      RLEV_REWARD_URL: `${url}/get_reward`,
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Array<{
      reward_score: number;
      reward_extra_info: Record<string, unknown>;
    }>;
    expect(out[0].reward_score).toBeCloseTo(1.4, 12);
    expect(out[0].reward_extra_info).toMatchObject({ acc: 1, value: 0.04, pred: "7" });
    expect(out[0].reward_extra_info.scale).toBeCloseTo(1.4, 12);
    expect(out[1].reward_score).toBeCloseTo(2, 12);
    expect(out[1].reward_extra_info).toMatchObject({ acc: 1, value: 0.25, scale: 2, pred: "42" });
    expect(out[2]).toEqual({
      reward_score: 0,
      reward_extra_info: { score: 0, acc: 0, value: 0.01, scale: expect.closeTo(1.1, 12), pred: "6" },
    });
  });
});

describe.skipIf(!hasRequests)("OpenRLHF: one sample per request, chat-template query, with requests", () => {
  it("answers rows written by `rlev export openrlhf --chat`: rewards = s(x)·correct, scores 0/1, the value in extra_logs", async () => {
    const rows = join(dir, "openrlhf.jsonl");
    const ex = await runCli([
      "export",
      "openrlhf",
      "--input",
      join(dir, "items.jsonl"),
      "--output",
      rows,
      "--chat",
      "--system-prompt",
      "Please reason step by step, and put your final answer within \\boxed{}.",
    ]);
    expect(ex.code, ex.stderr).toBe(0);
    const calls = [
      [0, "3+4=7. \\boxed{7}"],
      [0, "3+4=8. \\boxed{8}"],
      [1, "\\boxed{42}"],
      [2, "The answer is \\boxed{7}"],
    ];
    const r = await python([
      join(repoRoot, "test/examples/openrlhf_single.py"),
      `${url}/get_reward`,
      rows,
      JSON.stringify(calls),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Array<{
      reward: number[];
      scores: number[];
      extra_logs: Record<string, number[]>;
    }>;
    expect(out.map((o) => o.scores)).toEqual([[1], [0], [1], [1]]);
    const want = [scale(0.04), 0, scale(0.25), scale(0.01)];
    for (const [i, o] of out.entries()) expect(o.reward[0]).toBeCloseTo(want[i], 12);
    expect(out.map((o) => o.extra_logs.value[0])).toEqual([0.04, 0.04, 0.25, 0.01]);
    // The prompt was found inside the templated query, so only the response was verified.
    expect(out.map((o) => o.extra_logs.prompt_found[0])).toEqual([1, 1, 1, 1]);
  });
});

describe.skipIf(!hasPython)(
  "TRL: examples/trl/rlev_reward.py called with GRPOTrainer's keyword arguments",
  () => {
    it("takes value and reference columns: rewards s(x)·correct, correctness 0/1, the value in the log line", async () => {
      const batch = {
        prompts: items.flatMap((x) => [
          [{ role: "user", content: x.prompt }],
          [{ role: "user", content: x.prompt }],
        ]),
        completions: [
          "\\boxed{7}",
          "\\boxed{5}",
          "\\boxed{42}",
          "\\boxed{41}",
          "\\boxed{7}",
          "I think \\boxed{7}",
        ],
        columns: {
          value: items.flatMap((x) => [x.value, x.value]),
          reference: items.flatMap((x) => [x.reference, x.reference]),
          answer_type: items.flatMap((x) => [x.answerType, x.answerType]),
          id: items.flatMap((x) => [x.id, x.id]),
        },
      };
      const r = await python([join(repoRoot, "test/examples/trl_call.py"), JSON.stringify(batch)], {
        RLEV_REWARD_URL: `${url}/get_reward`,
      });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { rewards: number[]; correct: number[] };
      expect(out.correct).toEqual([1, 0, 1, 0, 1, 1]);
      const want = [scale(0.04), 0, 2, 0, scale(0.01), scale(0.01)];
      for (const [i, x] of out.rewards.entries()) expect(x).toBeCloseTo(want[i], 6);
      // One server call served both functions: one log line, with the batch's mean value.
      const lines = r.stderr
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("rlev_reward: rlev batch"));
      expect(lines).toHaveLength(1);
      const meanValue = (2 * (0.04 + 0.25 + 0.01)) / 6;
      expect(lines[0]).toContain(`n=6 mean_value=${meanValue.toFixed(6)}`);
      expect(lines[0]).toContain("accuracy=0.666667");
    });
  },
);

describe.skipIf(!hasPython)("the reward server's side", () => {
  it("counted every sample the three trainers sent in /metrics", async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const samples = Number(/^rlev_reward_samples_total (\d+)$/m.exec(text)?.[1]);
    // 3 (verl) + 4 (OpenRLHF, when requests is installed) + 6 (TRL, one call for both functions).
    expect(samples).toBe(3 + (hasRequests ? 4 : 0) + 6);
  });
});

describe("the GRPO guard: --estimator", () => {
  const warning =
    /^rlev: warning: estimator "(.+)" divides each group's rewards by that group's std, so s\(x\) \(the value\) cancels/;

  it("rlev export warns, in one line, for group-std estimators and not for the others", async () => {
    for (const [cmd, est] of [
      ["verl", "grpo"],
      ["openrlhf", "group_norm"],
      ["verl", "scale_rewards=group"],
    ]) {
      const r = await runCli([
        "export",
        cmd,
        "--input",
        join(dir, "items.jsonl"),
        "--output",
        join(dir, `g-${est}.jsonl`),
        "--estimator",
        est,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(warning);
      expect(lines[0]).toContain("use rloo, reinforce_pp");
    }
    for (const est of [
      "rloo",
      "reinforce_pp",
      "drgrpo",
      "dr_grpo",
      "grpo_batch_std",
      "reinforce_plus_plus",
      "scale_rewards=none",
    ]) {
      const r = await runCli([
        "export",
        "verl",
        "--input",
        join(dir, "items.jsonl"),
        "--output",
        join(dir, "k.jsonl"),
        "--estimator",
        est,
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr, est).toBe("");
    }
    const unknown = await runCli([
      "export",
      "verl",
      "--input",
      join(dir, "items.jsonl"),
      "--output",
      join(dir, "u.jsonl"),
      "--estimator",
      "ppo2",
    ]);
    expect(unknown.stderr).toMatch(/^rlev: note: rlev does not know estimator "ppo2" \(known: grpo, drgrpo/);
  });

  it.skipIf(!hasPython)(
    "rlev serve reward warns at start for grpo, not for rloo, nor when the reward carries no value",
    async () => {
      expect(serverStderr).not.toContain("warning");
      const grpo = await startServer(["--set", "reward.kind=rlev", "--estimator", "grpo"]);
      const before = grpo.stderr().split("\n");
      await stop(grpo.child);
      expect(before[0]).toMatch(warning);
      expect(before[1]).toContain("listening on");
      const correctness = await startServer(["--set", "reward.kind=correctness", "--estimator", "grpo"]);
      const plain = correctness.stderr();
      await stop(correctness.child);
      expect(plain).not.toContain("warning");
    },
  );
});

// The example files parse as Python (the TRL script imports trl, which these tests do not install).
describe.skipIf(!hasPython)("examples compile", () => {
  it("every example .py file is valid Python", async () => {
    for (const f of [
      "examples/verl/rlev_reward.py",
      "examples/trl/rlev_reward.py",
      "examples/trl/train_grpo.py",
    ]) {
      const src = await readFile(join(repoRoot, f), "utf8");
      const r = spawnSync("python3", ["-c", "import ast, sys; ast.parse(sys.stdin.read())"], { input: src });
      expect(r.status, `${f}: ${r.stderr}`).toBe(0);
    }
  });
});
