import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "./tiny.js";

const tiny = {
  seed: 5,
  engine: { threads: 1 },
  model: { dModel: 32, nLayers: 1, nHeads: 2, dMlp: 64, contextLength: 32 },
  task: { trainExams: 4, testExams: 1, questionsPerExam: 10, maxSteps: 3 },
  sft: { steps: 4, batchSize: 16, checkpointEvery: 2, evalEvery: 0 },
  train: { steps: 2, promptsPerStep: 4, samplesPerPrompt: 2, maxNewTokens: 12, evalEvery: 1, evalItems: 10 },
  eval: { batchSize: 16, eosPrompts: 3, bootstrap: 50, maxNewTokens: 12 },
};

let dir: string;
let configFile: string;

beforeAll(async () => {
  dir = await tempDir("rlev-cli-");
  configFile = join(dir, "tiny.json");
  await writeFile(configFile, JSON.stringify(tiny, null, 2));
});

describe("rlev sft / train / eval", () => {
  it("rejects an invalid config with one line naming the file and field (exit 2)", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ sft: { steps: -1 } }));
    const r = await runCli(["sft", "--config", bad, "--out", join(dir, "x")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      new RegExp(`rlev: ${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} field "sft.steps"`),
    );
    expect(existsSync(join(dir, "x"))).toBe(false);

    const unknown = await runCli(["sft", "--set", "sft.stepz=3", "--out", join(dir, "x")]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/sft/);

    const noInit = await runCli(["train", "--config", configFile, "--out", join(dir, "y")]);
    expect(noInit.code).toBe(2);
    expect(noInit.stderr).toMatch(/train\.init must name the warm-up checkpoint/);
  });

  it("warms up, trains and evaluates a tiny policy end to end", async () => {
    const sftOut = join(dir, "sft");
    const sft = await runCli(["sft", "--config", configFile, "--set", "sft.steps=3", "--out", sftOut]);
    expect(sft.code, sft.stderr).toBe(0);
    expect(sft.stdout).toMatch(/warm-up done: 3 steps/);
    expect(sft.stdout).toMatch(/held-out, sampled \(T=1\): Acc/);
    // Not a TTY: progress comes as plain lines on stderr.
    expect(sft.stderr).toMatch(/sft 3\/3 .*eta=/);
    expect(existsSync(join(sftOut, "final", "manifest.json"))).toBe(true);

    const rlOut = join(dir, "rl");
    const rl = await runCli([
      "train",
      "--config",
      configFile,
      "--init",
      join(sftOut, "final"),
      "--out",
      rlOut,
    ]);
    expect(rl.code, rl.stderr).toBe(0);
    const records = (await readFile(join(rlOut, "metrics.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.step)).toEqual([0, 1, 2]);
    expect(records[2]["timing_s/step"]).toBeGreaterThan(0);
    expect(records[2]["perf/throughput"]).toBeGreaterThan(0);

    const evalOut = join(dir, "eval");
    const ev = await runCli([
      "eval",
      "--config",
      configFile,
      "--checkpoint",
      join(rlOut, "final"),
      "--out",
      evalOut,
    ]);
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.stdout).toMatch(/95% bootstrap CI: Acc \[/);
    const rows = (await readFile(join(evalOut, "responses.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(10);
    for (const row of rows)
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining(["id", "value", "correct", "length", "difficulty", "sample", "worked"]),
      );
    const metrics = JSON.parse(await readFile(join(evalOut, "metrics.json"), "utf8"));
    expect(metrics.n).toBe(10);
    expect(metrics.decoding).toBe("greedy");
    expect(metrics.eos.high.prompts).toBe(3);
  });
});
