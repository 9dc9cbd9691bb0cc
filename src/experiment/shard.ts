import { appendFile, mkdir, readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { writeFileAtomic } from "../util/atomic.js";
import { InputError, UsageError } from "../util/errors.js";
import { loadExperimentConfig } from "./config.js";
import {
  type ExperimentOptions,
  type ExperimentRun,
  findWarmups,
  runExperiment,
  selectCells,
} from "./experiment.js";
import { expandGrid } from "./grid.js";
import type { JobRecord } from "./record.js";
import { isRecord } from "./results-file.js";

/**
 * The grid across machines: every (cell, seed) run belongs to exactly one of n shards, so n
 * processes on n machines run the grid between them, each appending to its own results file on
 * shared storage; `mergeShardResults` joins the files. The warm-ups are built once beforehand
 * (`prepareWarmups`), never by the shards, which would otherwise race to build the same ones.
 */

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

const SHARD_SPEC = "--shard takes i/n (0 ≤ i < n), slurm, or k8s/n";

function wholeNumber(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d+$/.test(text.trim()))
    throw new UsageError(
      `${what} must be a whole number, got ${text === undefined ? "nothing" : `"${text}"`}`,
    );
  return Number(text.trim());
}

function checked(index: number, count: number, source: string): Shard {
  if (count < 1) throw new UsageError(`${source}: the shard count must be at least 1, got ${count}`);
  if (index >= count)
    throw new UsageError(`${source}: shard ${index} does not exist among ${count} (0..${count - 1})`);
  return { index, count };
}

/**
 * `i/n` as given; `slurm` from a SLURM job array (SLURM_ARRAY_TASK_ID relative to
 * SLURM_ARRAY_TASK_MIN and _STEP, of SLURM_ARRAY_TASK_COUNT); `k8s/n` from an Indexed Job's
 * JOB_COMPLETION_INDEX, with n the Job's completions.
 */
export function parseShard(spec: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const s = spec.trim();
  if (s === "slurm") {
    if (env.SLURM_ARRAY_TASK_ID === undefined)
      throw new UsageError("--shard slurm: SLURM_ARRAY_TASK_ID is not set (submit with sbatch --array)");
    const id = wholeNumber(env.SLURM_ARRAY_TASK_ID, "SLURM_ARRAY_TASK_ID");
    const min =
      env.SLURM_ARRAY_TASK_MIN === undefined
        ? 0
        : wholeNumber(env.SLURM_ARRAY_TASK_MIN, "SLURM_ARRAY_TASK_MIN");
    const step =
      env.SLURM_ARRAY_TASK_STEP === undefined
        ? 1
        : wholeNumber(env.SLURM_ARRAY_TASK_STEP, "SLURM_ARRAY_TASK_STEP");
    const count = wholeNumber(env.SLURM_ARRAY_TASK_COUNT, "SLURM_ARRAY_TASK_COUNT");
    if (step < 1 || (id - min) % step !== 0 || id < min)
      throw new UsageError(`--shard slurm: task ${id} is not on the array's grid (min ${min}, step ${step})`);
    return checked((id - min) / step, count, "--shard slurm");
  }
  const k8s = /^k8s\/(.+)$/.exec(s);
  if (k8s) {
    if (env.JOB_COMPLETION_INDEX === undefined)
      throw new UsageError(
        "--shard k8s/n: JOB_COMPLETION_INDEX is not set (run it as a Job with completionMode: Indexed)",
      );
    const count = wholeNumber(k8s[1], "--shard k8s/n: n");
    return checked(wholeNumber(env.JOB_COMPLETION_INDEX, "JOB_COMPLETION_INDEX"), count, "--shard k8s");
  }
  const plain = /^(\d+)\/(\d+)$/.exec(s);
  if (!plain) throw new UsageError(`${SHARD_SPEC}, got "${spec}"`);
  return checked(Number(plain[1]), Number(plain[2]), `--shard ${s}`);
}

const runKey = (cell: string, seed: number) => `${cell}\u0000${seed}`;

/**
 * The (cell, seed) runs of shard `index`: the grid's runs in plan order (every cell's first seed,
 * then the second, …), dealt round-robin, so each shard gets every size and estimator alike.
 * Depends only on the cells and seeds, so every shard computes the same split.
 */
export function shardRuns(
  cells: readonly { id: string }[],
  seeds: readonly number[],
  shard: Shard,
): Set<string> {
  const mine = new Set<string>();
  let position = 0;
  for (const seed of seeds)
    for (const cell of cells) {
      if (position % shard.count === shard.index) mine.add(runKey(cell.id, seed));
      position++;
    }
  return mine;
}

/** `results.jsonl` → `results.shard-2-of-3.jsonl` beside it. */
export function shardResultsPath(results: string, shard: Shard): string {
  const name = basename(results).replace(/\.jsonl$/, "");
  return join(dirname(results), `${name}.shard-${shard.index}-of-${shard.count}.jsonl`);
}

const SHARD_FILE = /\.shard-(\d+)-of-(\d+)\.jsonl$/;

export interface ShardRunOptions extends Omit<ExperimentOptions, "jobFilter"> {
  shard: Shard;
}

/**
 * Runs one shard's share of the grid into its own results file (default: the config's results
 * path with `.shard-i-of-n`). The warm-ups must have been prepared: a shard never builds one.
 */
export async function runShard(
  opts: ShardRunOptions,
): Promise<ExperimentRun & { results: string; share: number }> {
  const exp = await loadExperimentConfig(opts.configFile, opts.overrides ?? []);
  const cells = selectCells(expandGrid(exp), opts.only ?? []);
  const sizes = [...new Set(cells.map((c) => c.size))];
  const warmups = await findWarmups(exp, sizes);
  const missing = sizes.filter((s) => !warmups.get(s));
  if (missing.length)
    throw new UsageError(
      `no warm-up for size ${missing.join(", ")}: run \`rlev experiment --prepare\` with the same --config and --set once before the shards`,
    );
  const mine = shardRuns(cells, opts.seeds ?? exp.seeds, opts.shard);
  const results = opts.results ?? shardResultsPath(exp.results, opts.shard);
  opts.log?.(
    `shard ${opts.shard.index} of ${opts.shard.count}: ${mine.size} of ${cells.length * (opts.seeds ?? exp.seeds).length} runs → ${results}`,
  );
  // Created even when the share is empty, so that the merge can tell a shard that ran from one that did not.
  await mkdir(dirname(results), { recursive: true });
  await appendFile(results, "");
  const run = await runExperiment({
    ...opts,
    results,
    jobFilter: (job) => mine.has(runKey(job.cell, job.seed)),
  });
  return { ...run, results, share: mine.size };
}

/** Builds (or finds) the warm-up of every selected cell's size and runs nothing. */
export async function prepareWarmups(opts: Omit<ExperimentOptions, "jobFilter">) {
  const run = await runExperiment({ ...opts, jobFilter: () => false });
  return run.plan.warmups;
}

/** Timing fields: they differ between two executions of the same run and are not compared. */
const TIMING = new Set(["wallSeconds", "trainSeconds", "finishedAt"]);

function firstDifference(a: unknown, b: unknown, path: string): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return path || "(record)";
  if (Array.isArray(a) !== Array.isArray(b)) return path;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of [...keys].sort()) {
    if (path === "" && TIMING.has(k)) continue;
    const d = firstDifference(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      path ? `${path}.${k}` : k,
    );
    if (d) return d;
  }
  return null;
}

/** The field where two records of one (cell, seed) differ (timings aside), or null when they agree. */
export function recordDifference(a: JobRecord, b: JobRecord): string | null {
  return firstDifference(a, b, "");
}

interface Located {
  record: JobRecord;
  file: string;
  line: number;
}

async function readLocated(file: string): Promise<{ records: Located[]; skipped: number[] }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new InputError({ file }, "no such file");
    throw err;
  }
  const records: Located[] = [];
  const skipped: number[] = [];
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    try {
      const value = JSON.parse(raw);
      if (isRecord(value)) records.push({ record: value, file, line: i + 1 });
      else skipped.push(i + 1);
    } catch {
      skipped.push(i + 1);
    }
  });
  return { records, skipped };
}

/** Shard files of a directory (`*.shard-i-of-n.jsonl`), or the path itself when it is a file. */
export async function shardFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(p);
    } catch {
      throw new UsageError(`--merge ${p}: no such file or directory`);
    }
    if (!st.isDirectory()) {
      files.push(p);
      continue;
    }
    const found = (await readdir(p)).filter((n) => SHARD_FILE.test(n)).sort();
    if (found.length === 0)
      throw new UsageError(`--merge ${p}: no *.shard-<i>-of-<n>.jsonl files in this directory`);
    files.push(...found.map((n) => join(p, n)));
  }
  return [...new Set(files)];
}

export interface MergeResult {
  output: string;
  files: string[];
  records: number;
  /** Records present in more than one input (identical, kept once). */
  duplicates: number;
  /** Unreadable lines per file (torn writes are skipped, as a rerun would). */
  skipped: Array<{ file: string; lines: number[] }>;
  /** Shards of an `of-n` family that none of the inputs hold, e.g. "1 of 3". */
  missingShards: string[];
}

/**
 * Merges shard results files into `output` (whose own records, if it exists, are merged too).
 * A (cell, seed) found in two files must be the same run with the same outcome (timings aside);
 * else the merge stops and names both records. Within one file, records of other settings of
 * the same (cell, seed) (different hashes: its history) are kept, as the results file keeps them.
 * The output is written atomically, sorted by cell, seed and hash.
 */
export async function mergeShardResults(inputs: readonly string[], output: string): Promise<MergeResult> {
  const files = await shardFiles(inputs);
  let outputExists = false;
  try {
    outputExists = (await stat(output)).isFile();
  } catch {}
  const sources = outputExists && !files.includes(output) ? [output, ...files] : files;
  const kept = new Map<string, Located>();
  const latestByRun = new Map<string, Located>();
  let duplicates = 0;
  const skipped: MergeResult["skipped"] = [];
  const name = (l: Located) =>
    `${l.file}:${l.line} (${l.record.cell} seed ${l.record.seed}, hash ${l.record.hash.slice(0, 8)})`;
  for (const file of sources) {
    const { records, skipped: bad } = await readLocated(file);
    if (bad.length) skipped.push({ file, lines: bad });
    const latestHere = new Map<string, Located>();
    for (const l of records) {
      const key = `${runKey(l.record.cell, l.record.seed)}\u0000${l.record.hash}`;
      const seen = kept.get(key);
      if (seen && seen.file !== file) {
        const diff = recordDifference(seen.record, l.record);
        if (diff)
          throw new InputError(
            { file: l.file, line: l.line },
            `merge conflict: ${name(seen)} and ${name(l)} are the same run with different results (first difference: ${diff})`,
          );
        duplicates++;
      } else kept.set(key, l);
      latestHere.set(runKey(l.record.cell, l.record.seed), l);
    }
    // Two files must agree on the settings of a (cell, seed): shards of one grid share them.
    for (const [run, l] of latestHere) {
      const other = latestByRun.get(run);
      if (other && other.record.hash !== l.record.hash)
        throw new InputError(
          { file: l.file, line: l.line },
          `merge conflict: ${name(other)} and ${name(l)} ran the same cell and seed with different settings (hashes differ): were the shards started with the same --config and --set?`,
        );
      if (!other) latestByRun.set(run, l);
    }
  }
  const families = new Map<number, Set<number>>();
  for (const f of sources) {
    const m = SHARD_FILE.exec(f);
    if (!m) continue;
    const n = Number(m[2]);
    if (!families.has(n)) families.set(n, new Set());
    families.get(n)!.add(Number(m[1]));
  }
  const missingShards: string[] = [];
  for (const [n, have] of families)
    for (let i = 0; i < n; i++) if (!have.has(i)) missingShards.push(`${i} of ${n}`);
  const sorted = [...kept.values()]
    .map((l) => l.record)
    .sort((a, b) =>
      a.cell !== b.cell
        ? a.cell < b.cell
          ? -1
          : 1
        : a.seed !== b.seed
          ? a.seed - b.seed
          : a.hash < b.hash
            ? -1
            : a.hash > b.hash
              ? 1
              : 0,
    );
  await writeFileAtomic(output, sorted.map((r) => `${JSON.stringify(r)}\n`).join(""));
  return { output, files: sources, records: sorted.length, duplicates, skipped, missingShards };
}
