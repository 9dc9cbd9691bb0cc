import { join } from "node:path";
import type { Claim } from "../report/types.js";
import { UsageError } from "../util/errors.js";
import { runPool } from "./child.js";
import { type ExperimentConfig, loadExperimentConfig } from "./config.js";
import { type Cell, canonicalJson, expandGrid, type Job, planJobs, sha256, warmupConfig } from "./grid.js";
import type { JobRecord } from "./record.js";
import { appendResult, currentRecords, readResults } from "./results-file.js";
import { runJobs } from "./runner.js";
import { checkWarmup, ensureWarmup, warmupSettings } from "./warmup.js";

export interface GridPlan {
  exp: ExperimentConfig;
  cells: Cell[];
  /** Jobs of the cells and seeds asked for, seed-major (every cell's first seed, then the second, …). */
  jobs: Job[];
  /** Per size: the warm-up checkpoint and its digest (null when none matches and none was built). */
  warmups: Map<string, { checkpoint: string; digest: string; source: "committed" | "rebuilt" } | null>;
}

/** Cells whose id matches one of the patterns (`*` matches any run of characters; no pattern: all). */
export function selectCells(cells: readonly Cell[], patterns: readonly string[]): Cell[] {
  if (patterns.length === 0) return [...cells];
  const res = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .split("*")
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
          .join(".*")}$`,
      ),
  );
  const picked = cells.filter((c) => res.some((re) => re.test(c.id)));
  if (picked.length === 0)
    throw new UsageError(
      `--only ${patterns.join(",")} matches no cell (cells look like ${cells[0]?.id ?? "base/rloo/rlev"})`,
    );
  return picked;
}

const rebuildRoot = (exp: ExperimentConfig) => join(exp.out, "warmup");

/**
 * The warm-up of each size without building anything: the committed checkpoint when it matches,
 * else one rebuilt earlier under the run folder, else null.
 */
export async function findWarmups(exp: ExperimentConfig, sizes: readonly string[]) {
  const out = new Map<
    string,
    { checkpoint: string; digest: string; source: "committed" | "rebuilt" } | null
  >();
  for (const size of sizes) {
    const spec = exp.sizes[size];
    const cfg = warmupConfig(exp.config, spec.set, spec.warmup);
    const committed = await checkWarmup(spec.warmup.checkpoint, cfg);
    if (committed.ok) {
      out.set(size, { checkpoint: spec.warmup.checkpoint, digest: committed.digest, source: "committed" });
      continue;
    }
    const hash = sha256(canonicalJson(warmupSettings(cfg))).slice(0, 8);
    const rebuilt = join(rebuildRoot(exp), `${size}-${hash}`, "final");
    const r = await checkWarmup(rebuilt, cfg);
    out.set(size, r.ok ? { checkpoint: rebuilt, digest: r.digest, source: "rebuilt" } : null);
  }
  return out;
}

export interface PlanOptions {
  configFile: string;
  overrides?: string[];
  only?: string[];
  seeds?: number[];
}

/** Loads the grid and finds its warm-ups (building none). */
export async function planGrid(opts: PlanOptions): Promise<GridPlan> {
  const exp = await loadExperimentConfig(opts.configFile, opts.overrides ?? []);
  const cells = selectCells(expandGrid(exp), opts.only ?? []);
  const sizes = [...new Set(cells.map((c) => c.size))];
  const warmups = await findWarmups(exp, sizes);
  return { exp, cells, jobs: planJobs(exp, cells, opts.seeds ?? exp.seeds, warmups), warmups };
}

/** Finished results of the plan's jobs, by job (the last matching record of each). */
export async function finishedRecords(plan: GridPlan, resultsPath = plan.exp.results) {
  const { records, skipped } = await readResults(resultsPath);
  const wanted = new Map(plan.jobs.map((j) => [`${j.cell}\u0000${j.seed}`, j.hash]));
  return { current: currentRecords(records, wanted), all: records, skipped };
}

export interface ExperimentOptions extends PlanOptions {
  jobs?: number;
  results?: string;
  saveWarmup?: boolean;
  signal?: AbortSignal;
  log?: (message: string) => void;
  /** Keep only these jobs (a shard's share, see shard.ts); the warm-ups of all cells are still ensured. */
  jobFilter?: (job: Job) => boolean;
}

export interface ExperimentRun {
  plan: GridPlan;
  /** Runs finished before this sitting (skipped) and in it. */
  skipped: number;
  finished: number;
  failed: Array<{ job: Job; error: unknown }>;
  interrupted: number;
  pending: number;
}

/**
 * `rlev experiment`: builds missing warm-ups, then runs every (cell, seed) not yet in the results
 * file, `jobs` child processes at a time, appending each result (fsync'd) as it finishes. A
 * failing run is reported and the grid goes on; an interrupted one resumes next time.
 */
export async function runExperiment(opts: ExperimentOptions): Promise<ExperimentRun> {
  const log = opts.log ?? (() => {});
  const exp = await loadExperimentConfig(opts.configFile, opts.overrides ?? []);
  const resultsPath = opts.results ?? exp.results;
  const jobsAtOnce = opts.jobs ?? exp.jobs;
  const cells = selectCells(expandGrid(exp), opts.only ?? []);
  const sizes = [...new Set(cells.map((c) => c.size))];
  const warmups: GridPlan["warmups"] = new Map();
  const failures = await runPool(
    sizes,
    jobsAtOnce,
    async (size) => {
      const spec = exp.sizes[size];
      const w = await ensureWarmup({
        name: size,
        checkpoint: spec.warmup.checkpoint,
        config: warmupConfig(exp.config, spec.set, spec.warmup),
        rebuildRoot: rebuildRoot(exp),
        save: opts.saveWarmup,
        signal: opts.signal,
        log,
        onProgress: (m) => {
          if (m.type === "progress" && m.fields.sampledAcc !== undefined)
            log(
              `warm-up ${size}: step ${m.step}/${m.total}, sampled accuracy ${(100 * m.fields.sampledAcc).toFixed(1)}%`,
            );
        },
      });
      warmups.set(size, w);
      log(`warm-up ${size}: ${w.checkpoint} (${w.source}, sha256 ${w.digest.slice(0, 12)}…)`);
    },
    { signal: opts.signal },
  );
  if (failures.length) throw failures[0].error;
  const plan: GridPlan = {
    exp,
    cells,
    jobs: planJobs(exp, cells, opts.seeds ?? exp.seeds, warmups).filter(opts.jobFilter ?? (() => true)),
    warmups,
  };
  const { current, skipped } = await finishedRecords(plan, resultsPath);
  if (skipped.length)
    log(`${resultsPath}: skipped unreadable line(s) ${skipped.join(", ")} (a torn write is ignored)`);
  const todo = plan.jobs.filter((j) => !current.has(`${j.cell}\u0000${j.seed}`));
  log(
    `${cells.length} cells × ${(opts.seeds ?? exp.seeds).length} seeds = ${plan.jobs.length} runs; ${plan.jobs.length - todo.length} already in ${resultsPath}, ${todo.length} to run, ${jobsAtOnce} at a time`,
  );
  const result = await runJobs(todo, {
    jobs: jobsAtOnce,
    signal: opts.signal,
    keepGoing: true,
    log,
    onRecord: (record: JobRecord) => appendResult(resultsPath, record),
  });
  const finished = result.records.size;
  return {
    plan,
    skipped: plan.jobs.length - todo.length,
    finished,
    failed: result.failed,
    interrupted: result.interrupted.length,
    pending: todo.length - finished - result.failed.length - result.interrupted.length,
  };
}

export type { Claim };
