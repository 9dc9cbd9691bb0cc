import { rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseConfig } from "../config/index.js";
import { renderChartPng } from "../report/browser.js";
import { writeReport } from "../report/io.js";
import type { Claim, ReportData } from "../report/types.js";
import { UsageError } from "../util/errors.js";
import { eosGradientClaim, hAccClaim, lengthClaims, type RunsByCell, valueGainClaim } from "./analysis.js";
import { type ArmSpec, type DemoConfig, loadDemoConfig } from "./config.js";
import { canonicalJson, type Job, makeJob, rewardOverrides, sha256, warmupConfig } from "./grid.js";
import { writeJsonAtomic } from "./io.js";
import { gitVersion, loadLine, machineLine } from "./provenance.js";
import type { JobRecord } from "./record.js";
import {
  type ArmRuns,
  eosGradient,
  eosTrajectories,
  lengthByValue,
  resultsTable,
  trainingCurves,
  withinDifficulty,
} from "./report-data.js";
import { runJobs } from "./runner.js";
import { formatTextTable } from "./table.js";
import { ensureWarmup } from "./warmup.js";

export interface DemoOptions {
  configFile: string;
  overrides?: string[];
  jobs?: number;
  seeds?: number[];
  out?: string;
  /** Delete the demo's run folders first (the warm-up is kept). */
  fresh?: boolean;
  /** Install a rebuilt warm-up at the committed location. */
  saveWarmup?: boolean;
  /** Also save the report's key chart as PNG (needs Chromium). */
  png?: string;
  /** The command line, for the report header. */
  command?: string;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

export interface DemoResult {
  status: "completed" | "interrupted";
  report?: string;
  table?: string;
  claims: Claim[];
  wallSeconds: number;
  warmup: { checkpoint: string; source: "committed" | "rebuilt" };
  records: Map<string, JobRecord[]>;
}

/** The first arm with a given reward (on exam values), for the claims. */
function armOf(arms: readonly ArmSpec[], reward: ArmSpec["reward"]): ArmSpec | undefined {
  return arms.find((a) => a.reward === reward && a.values === "exam");
}

/** The demo's claims (one seed per arm gives directions only; the experiment makes the claims). */
export function demoClaims(demo: DemoConfig, runs: RunsByCell): Claim[] {
  const corr = armOf(demo.arms, "correctness");
  const rlev = armOf(demo.arms, "rlev");
  const uni = armOf(demo.arms, "uniform");
  const claims: Claim[] = [];
  if (rlev && corr)
    claims.push(
      hAccClaim(runs, {
        id: "hacc-vs-correctness",
        claim: "RLEV raises H-Acc over correctness-only",
        paper: "RLOO 7B: 56.7 → 58.9 H-Acc",
        paperEffect: 0.022,
        a: rlev.id,
        b: corr.id,
        labelA: "RLEV",
        labelB: "correctness",
      }),
    );
  if (rlev && uni)
    claims.push(
      hAccClaim(runs, {
        id: "hacc-vs-uniform",
        claim: "The gain is not a scale effect: RLEV beats uniform scaling by the mean of s(x)",
        paper: "RLOO 7B: uniform 55.1 vs RLEV 58.9 H-Acc",
        paperEffect: 0.038,
        a: rlev.id,
        b: uni.id,
        labelA: "RLEV",
        labelB: "uniform",
      }),
    );
  if (rlev && corr && uni)
    claims.push(...lengthClaims(runs, { rlev: rlev.id, correctness: corr.id, uniform: uni.id }));
  if (rlev && uni)
    claims.push(valueGainClaim(runs, { rlev: rlev.id, uniform: uni.id, correctness: corr?.id }));
  const lengthCost = parseConfig(demo.config).reward.lengthCost;
  if (rlev && corr) claims.push(eosGradientClaim(runs, rlev.id, corr.id, lengthCost));
  return claims;
}

/**
 * `rlev demo`: the warm-up (committed, or rebuilt when missing or not matching), then every arm
 * from it with the same seeds and compute, in parallel child processes; a held-out evaluation of
 * each; the table; and a self-contained report at `<out>/report.html`.
 */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const demo = await loadDemoConfig(opts.configFile, opts.overrides ?? []);
  const out = opts.out ?? demo.out;
  const seeds = opts.seeds ?? demo.seeds;
  const jobsAtOnce = opts.jobs ?? demo.jobs;
  if (!(jobsAtOnce >= 1)) throw new UsageError("--jobs must be at least 1");
  if (opts.fresh) for (const arm of demo.arms) await rm(join(out, arm.id), { recursive: true, force: true });

  const wcfg = warmupConfig(demo.config, {}, demo.warmup);
  const warm = await ensureWarmup({
    name: basename(demo.warmup.checkpoint),
    checkpoint: demo.warmup.checkpoint,
    config: wcfg,
    rebuildRoot: join(out, "warmup"),
    save: opts.saveWarmup,
    signal: opts.signal,
    log,
    onProgress: (m) => {
      if (m.type === "progress" && m.fields.sampledAcc !== undefined)
        log(
          `warm-up: step ${m.step}/${m.total}, sampled held-out accuracy ${(100 * m.fields.sampledAcc).toFixed(1)}%`,
        );
    },
  });
  log(
    `warm-up: ${warm.source === "committed" ? "using the committed" : "using the rebuilt"} checkpoint ${warm.checkpoint} (sha256 ${warm.digest.slice(0, 12)}…)`,
  );

  const jobs: Job[] = [];
  for (const seed of seeds)
    for (const arm of demo.arms)
      jobs.push(
        makeJob({
          cell: arm.id,
          seed,
          values: arm.values,
          layers: [demo.config, rewardOverrides(arm.reward, undefined, seed), arm.set],
          warmup: { checkpoint: warm.checkpoint, digest: warm.digest },
          threads: 1,
          out,
        }),
      );
  const first = jobs[0].config;
  log(
    `${demo.arms.length} arms × ${seeds.length} seed(s), ${first.train.steps} RL steps of ${first.train.promptsPerStep} prompts × ${first.train.samplesPerPrompt} samples each, ${jobsAtOnce} at a time; held-out evaluation on ${first.train.evalItems} questions`,
  );
  const { records, failed, interrupted } = await runJobs(jobs, {
    jobs: jobsAtOnce,
    signal: opts.signal,
    log,
  });
  const byArm = new Map<string, JobRecord[]>(demo.arms.map((a) => [a.id, []]));
  for (const job of jobs) {
    const r = records.get(job);
    if (r) byArm.get(job.cell)!.push(r);
  }
  if (failed.length) throw failed[0].error;
  if (interrupted.length || opts.signal?.aborted)
    return {
      status: "interrupted",
      claims: [],
      wallSeconds: (performance.now() - started) / 1000,
      warmup: { checkpoint: warm.checkpoint, source: warm.source },
      records: byArm,
    };

  const arms: ArmRuns[] = demo.arms.map((a) => ({
    id: a.id,
    label: a.label,
    records: byArm.get(a.id) ?? [],
  }));
  const claims = demoClaims(demo, byArm);
  const table = resultsTable(
    arms,
    `Greedy decoding on ${first.train.evalItems} held-out questions (${first.task.testExams} exams); ${seeds.length} seed(s) per arm, all from the same warm-up.`,
  );
  const wallSeconds = (performance.now() - started) / 1000;
  const data: ReportData = {
    title: "RLEV demo: value-weighted rewards on synthetic exams",
    subtitle: `${demo.arms.map((a) => a.label).join(" vs ")}; ${first.rl.estimator.toUpperCase()}, ${first.train.steps} steps from one warm-up, ${seeds.length} seed(s)`,
    run: {
      command: opts.command ?? "rlev demo",
      seeds,
      machine: machineLine(),
      wallTimeS: wallSeconds,
      date: new Date().toISOString(),
      configHash: sha256(canonicalJson(demo)).slice(0, 12),
      version: gitVersion() ?? undefined,
      extra: {
        "warm-up": `${warm.checkpoint} (${warm.source}, sha256 ${warm.digest.slice(0, 12)}…)`,
        "load average at the end": loadLine(),
      },
    },
    arms: demo.arms.map((a) => ({ id: a.id, label: a.label, description: a.description })),
    claims,
    results: table,
    curves: trainingCurves(arms, first.train.evalItems),
    lengthByValue: lengthByValue(arms),
    withinDifficulty: withinDifficulty(arms),
    eosTrajectories: eosTrajectories(arms),
    eosGradient: eosGradient(arms),
    notes: [
      {
        title: "What the demo can and cannot show",
        text: `Each arm ran ${seeds.length} seed(s), so there are no confidence intervals over seeds and every claim is marked inconclusive unless two or more seeds ran: the demo shows the pipeline and the direction. \`rlev experiment\` runs the grid with at least 5 seeds per cell on 1,000 held-out questions and judges the claims.`,
      },
      {
        title: "The task",
        text: `Synthetic exams of ${first.task.questionsPerExam} questions: chained single-digit sums modulo ${first.task.modulus} with ${first.task.minSteps}–${first.task.maxSteps} steps, each question's points printed in its prompt; value v = points / exam total. A response either works the chain step by step (longer, reliable) or answers directly (short, mostly a guess for long chains). Correctness-only gets reward 1 for a right answer; RLEV gets s(x) = 1 + min(α·v, 1); uniform scaling gets the train-set mean of s(x) for every item, the matched-scale control.`,
      },
    ],
    keyChart: "curve:hAcc",
  };
  const report = join(out, "report.html");
  await writeJsonAtomic(join(out, "report-data.json"), data);
  const html = await writeReport(report, data);
  if (opts.png) await renderChartPng(html, opts.png);
  return {
    status: "completed",
    report,
    table: formatTextTable(table),
    claims,
    wallSeconds,
    warmup: { checkpoint: warm.checkpoint, source: warm.source },
    records: byArm,
  };
}
