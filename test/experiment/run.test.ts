import { existsSync } from "node:fs";
import { appendFile, cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { compareRunsStepByStep } from "../../src/experiment/analysis.js";
import { loadExperimentConfig } from "../../src/experiment/config.js";
import { runDemo } from "../../src/experiment/demo.js";
import { finishedRecords, planGrid, runExperiment } from "../../src/experiment/experiment.js";
import { buildExperimentReport, runsByCell } from "../../src/experiment/experiment-report.js";
import { warmupConfig } from "../../src/experiment/grid.js";
import { readResults } from "../../src/experiment/results-file.js";
import { checkWarmup, manifestPath } from "../../src/experiment/warmup.js";
import { CHROMIUM_ARGS, chromiumPath } from "../../src/report/browser.js";
import { tempDir } from "../train/tiny.js";
import { tinyShared } from "./fixtures.js";

/**
 * Real runs, tiny: a one-layer model, 3 RL steps, from source in child processes (tsx). One grid
 * of std-GRPO correctness vs RLEV (the identity) and one demo share a warm-up built here.
 */

let dir: string;
let gridFile: string;
let demoReport = "";
const warmup = () => ({ checkpoint: join(dir, "warm", "tiny"), seed: 0, threads: 1 });

beforeAll(async () => {
  dir = await tempDir("rlev-exp-");
  gridFile = join(dir, "grid.json");
  await writeFile(
    gridFile,
    JSON.stringify({
      results: join(dir, "results.jsonl"),
      out: join(dir, "runs"),
      report: join(dir, "report.html"),
      png: join(dir, "key.png"),
      jobs: 2,
      seeds: [1],
      config: tinyShared,
      sizes: { tiny: { warmup: warmup() } },
      grids: [{ name: "main", size: ["tiny"], estimator: ["grpo"], reward: ["correctness", "rlev"] }],
    }),
  );
}, 60_000);

describe("rlev experiment on a tiny grid", () => {
  it("builds the warm-up, runs both cells in child processes and appends one line per run", async () => {
    const logs: string[] = [];
    const r = await runExperiment({ configFile: gridFile, saveWarmup: true, log: (m) => logs.push(m) });
    expect(r.failed).toEqual([]);
    expect(r.finished).toBe(2);
    expect(logs.some((l) => l.includes("rebuilding it with rlev sft"))).toBe(true);
    const { records, skipped } = await readResults(join(dir, "results.jsonl"));
    expect(skipped).toEqual([]);
    expect(records.map((x) => x.cell).sort()).toEqual(["tiny/grpo/correctness", "tiny/grpo/rlev"]);
    for (const x of records) {
      expect(x.steps).toBe(3);
      expect(x.final.n).toBe(20);
      expect(x.trace.map((t) => t.step)).toEqual([1, 2, 3]);
      expect(x.curve.map((c) => c.step)).toEqual([0, 2, 3]);
      expect(x.eosGradient.abs).toHaveLength(3);
    }
    // The warm-up was installed with its provenance beside it.
    const manifest = JSON.parse(await readFile(`${warmup().checkpoint}.manifest.json`, "utf8"));
    expect(manifest.command).toMatch(/^rlev sft --config .*tiny\.config\.json --out /);
    expect(manifest.sha256).toMatch(/^[0-9a-f]{64}$/);
  }, 300_000);

  it("uses a warm-up only when it matches: same settings, intact files", async () => {
    const exp = await loadExperimentConfig(gridFile);
    const cfg = warmupConfig(exp.config, exp.sizes.tiny.set, exp.sizes.tiny.warmup);
    const dir = warmup().checkpoint;
    expect((await checkWarmup(dir, cfg)).ok).toBe(true);
    const changed = await checkWarmup(dir, { ...cfg, sft: { ...cfg.sft, steps: cfg.sft.steps + 1 } });
    expect(changed).toEqual({ ok: false, reason: "its warm-up settings differ (sft.steps)" });
    // A flipped byte in the weights is caught by the checkpoint's own checksums.
    const copy = join(dir, "..", "corrupt");
    await cp(dir, copy, { recursive: true });
    await cp(manifestPath(dir), manifestPath(copy));
    const weights = join(copy, "model.safetensors");
    const bytes = await readFile(weights);
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(weights, bytes);
    const corrupt = await checkWarmup(copy, cfg);
    expect(corrupt.ok).toBe(false);
    expect((corrupt as { reason: string }).reason).toContain("model.safetensors");
    expect((await checkWarmup(join(dir, "..", "missing"), cfg)).ok).toBe(false);
  });

  it("std-normalized GRPO: RLEV makes the same rollouts as correctness-only, step by step", async () => {
    const plan = await planGrid({ configFile: gridFile });
    const { current } = await finishedRecords(plan);
    const rep = compareRunsStepByStep(runsByCell(plan, current), "tiny/grpo/rlev", "tiny/grpo/correctness");
    expect(rep.seeds).toBe(1);
    const d = rep.details[0];
    // Same rollouts at every step and the same held-out answers.
    expect(d.sameBehaviourSteps).toBe(3);
    expect(d.sameFinalEval).toBe(true);
    // Losses agree to rounding (ε/s(x) and float32), whether or not they are bit-identical.
    expect(d.maxLossRelDiff).toBeLessThan(1e-4);
  });

  it("a rerun skips finished runs; a torn last line is ignored and the next append starts a new line", async () => {
    const results = join(dir, "results.jsonl");
    await appendFile(results, '{"format":"rlev-experiment-result","cell":"tiny/grpo/rl');
    const before = await readResults(results);
    expect(before.records).toHaveLength(2);
    expect(before.skipped).toEqual([3]);
    const logs: string[] = [];
    const r = await runExperiment({ configFile: gridFile, log: (m) => logs.push(m) });
    expect(r).toMatchObject({ finished: 0, skipped: 2, pending: 0 });
    expect(logs.some((l) => l.includes("2 already in"))).toBe(true);
    // A changed setting is a different run: both cells run again, appended after the torn line.
    const changed = await runExperiment({
      configFile: gridFile,
      overrides: ["train.lr=0.0003"],
      only: ["*/rlev"],
    });
    expect(changed.finished).toBe(1);
    const after = await readResults(results);
    expect(after.records).toHaveLength(3);
    expect(after.skipped).toEqual([3]);
  }, 300_000);

  it("--report builds the HTML report, the Markdown table and the claims from what has finished", async () => {
    const r = await buildExperimentReport({ configFile: gridFile, png: null });
    expect(r.finished).toBe(2);
    const html = await readFile(r.report, "utf8");
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const md = await readFile(r.markdown, "utf8");
    expect(md.split("\n")[0]).toContain("| group | arm | Acc % | H-Acc % |");
    expect(md).toContain("| main (tiny) | GRPO · correctness |");
    const ids = r.claims.map((c) => c.id);
    expect(ids).toContain("grpo-identity");
    // One seed: the runs match, but a verdict needs two seeds.
    const identity = r.claims.find((c) => c.id === "grpo-identity")!;
    expect(identity.status).toBe("inconclusive");
    // Runs written now carry a hash of every step's sampled tokens: the identity is checked on them.
    expect(identity.evidence).toContain("the same sampled token sequences at every one of");
    // One seed: no interval, so the H-Acc claim stays inconclusive.
    expect(r.claims.find((c) => c.id === "hacc-grpo")!.status).toBe("inconclusive");
    // --seeds widens what counts beyond the config's seeds (here none of seed 2 has run).
    const wider = await buildExperimentReport({ configFile: gridFile, png: null, seeds: [1, 2] });
    expect(r.total).toBe(2);
    expect(wider.total).toBe(4);
    expect(wider.finished).toBe(2);
  }, 120_000);
});

describe("rlev demo on a tiny config", () => {
  it("reuses the committed warm-up, runs the arms and writes a self-contained report", async () => {
    const demoFile = join(dir, "demo.json");
    await writeFile(
      demoFile,
      JSON.stringify({
        out: join(dir, "demo"),
        seeds: [1],
        warmup: warmup(),
        config: tinyShared,
        arms: [
          { id: "correctness", label: "Correctness", reward: "correctness" },
          { id: "rlev", label: "RLEV", reward: "rlev" },
          { id: "uniform", label: "Uniform", reward: "uniform" },
        ],
      }),
    );
    const r = await runDemo({ configFile: demoFile });
    expect(r.status).toBe("completed");
    expect(r.warmup.source).toBe("committed");
    expect(r.table).toMatch(/^\s+Acc %\s+H-Acc %/);
    expect(r.table).toContain("Uniform");
    const html = await readFile(r.report!, "utf8");
    for (const id of [
      "claims",
      "results",
      "curves",
      "length-by-value",
      "within-difficulty",
      "eos-trajectories",
      "eos-gradient",
    ])
      expect(html).toContain(`<section id="${id}"`);
    expect(r.claims.every((c) => c.status === "inconclusive")).toBe(true);
    demoReport = r.report!;
  }, 300_000);

  // The browser test of the report layer lives in test/report; this one opens the demo's own page.
  it.skipIf(!existsSync(chromiumPath()))(
    "the demo report opens in headless Chromium with every chart drawn and no request",
    async () => {
      const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
      try {
        const page = await browser.newPage();
        const url = pathToFileURL(demoReport).href;
        const problems: string[] = [];
        page.on("console", (m) => {
          if (m.type() === "error") problems.push(m.text());
        });
        page.on("pageerror", (e) => problems.push(e.message));
        page.on("request", (q) => {
          if (q.url() !== url) problems.push(`request ${q.url()}`);
        });
        await page.goto(url, { waitUntil: "load" });
        const rows = await page.locator("table.results tbody th.label").allInnerTexts();
        expect(rows.map((x) => x.trim())).toEqual(["Correctness", "RLEV", "Uniform"]);
        // 4 training curves, length by value, EOS (one panel per arm), EOS gradient.
        const boxes = await page
          .locator("svg.rc-chart")
          .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
        expect(boxes.length).toBeGreaterThanOrEqual(4 + 1 + 3 + 1);
        for (const b of boxes) expect(b.width * b.height).toBeGreaterThan(0);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
