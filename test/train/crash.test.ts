import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { checkpointDigest } from "../../src/model/checkpoint.js";
import { runRl } from "../../src/train/rl.js";
import { runSft } from "../../src/train/sft.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { deterministicLog, tempDir, tinyConfig } from "./tiny.js";

interface Child {
  proc: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startTrain(configFile: string, out: string): Child {
  const proc = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "src/cli/run-main.ts"), "train", "--config", configFile, "--out", out],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  proc.stderr!.on("data", (d) => (stderr += d));
  proc.stdout!.resume();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => proc.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { proc, done };
}

async function recordCount(out: string): Promise<number> {
  try {
    return (await readFile(join(out, "metrics.jsonl"), "utf8")).split("\n").filter((l) => l.trim()).length;
  } catch {
    return 0;
  }
}

/** Resolves once the run has appended a record beyond `after` (or its process ended). */
async function waitForProgress(child: Child, out: string, after: number): Promise<void> {
  let ended = false;
  void child.done.then(() => (ended = true));
  while (!ended && (await recordCount(out)) <= after) await new Promise((r) => setTimeout(r, 50));
}

const STEPS = 8;
let configFile: string;
let reference: string;

beforeAll(async () => {
  const sftDir = await tempDir("rlev-crash-sft-");
  await runSft(tinyConfig(), sftDir);
  const raw = {
    seed: 3,
    engine: { threads: 1 },
    model: { dModel: 32, nLayers: 1, nHeads: 2, dMlp: 64, contextLength: 32 },
    task: { trainExams: 8, testExams: 2, questionsPerExam: 10, maxSteps: 3 },
    train: {
      init: join(sftDir, "final"),
      steps: STEPS,
      promptsPerStep: 4,
      samplesPerPrompt: 4,
      maxNewTokens: 12,
      miniBatches: 2,
      checkpointEvery: 2,
      evalEvery: 4,
      evalItems: 20,
    },
    eval: { batchSize: 32, eosPrompts: 5, bootstrap: 0 },
    rl: { klCoef: 0.01 },
  };
  configFile = join(sftDir, "rl.json");
  await writeFile(configFile, JSON.stringify(raw));
  reference = await tempDir("rlev-crash-ref-");
  await runRl(parseConfig(raw), reference);
}, 300_000);

describe("crash safety of rlev train", () => {
  it("survives SIGKILL at random points, refuses a second trainer, stops cleanly on SIGINT, and ends identical", async () => {
    const out = await tempDir("rlev-crash-run-");
    const delays: number[] = [];
    for (let kill = 0; kill < 3; kill++) {
      const child = startTrain(configFile, out);
      await waitForProgress(child, out, await recordCount(out));
      if (kill === 0) {
        // A second trainer on the same run directory is refused while the first one lives.
        const second = await runCli(["train", "--config", configFile, "--out", out]);
        expect(second.code).toBe(2);
        expect(second.stderr).toMatch(new RegExp(`in use by process ${child.proc.pid}`));
      }
      const delay = Math.floor(Math.random() * 1500);
      delays.push(delay);
      await new Promise((r) => setTimeout(r, delay));
      child.proc.kill("SIGKILL");
      const end = await child.done;
      // It may have finished on its own before the kill landed; then there is nothing left to do.
      if (end.code === 0) break;
      expect(end.signal, `exit ${end.code}: ${end.stderr}`).toBe("SIGKILL");
      // The killed trainer's lock is left behind; the next run takes it over (its PID is dead).
    }
    console.info(`SIGKILL delays after progress (ms): ${delays.join(", ")}`);

    if (!existsSync(join(out, "final"))) {
      // Ctrl-C: the run finishes its step, saves a checkpoint, releases the lock, exits 130.
      const child = startTrain(configFile, out);
      await waitForProgress(child, out, await recordCount(out));
      child.proc.kill("SIGINT");
      const end = await child.done;
      if (end.code !== 0) {
        expect(end.code).toBe(130);
        expect(end.stderr).toMatch(/checkpoint saved/);
        expect(end.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
        expect(existsSync(join(out, "run.lock"))).toBe(false);
      }
    }

    const last = startTrain(configFile, out);
    const end = await last.done;
    expect(end.code, end.stderr).toBe(0);
    expect(await deterministicLog(join(out, "metrics.jsonl"))).toEqual(
      await deterministicLog(join(reference, "metrics.jsonl")),
    );
    expect(await checkpointDigest(join(out, "final"))).toBe(await checkpointDigest(join(reference, "final")));
  }, 300_000);
});
