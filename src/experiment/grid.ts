import { createHash } from "node:crypto";
import { join } from "node:path";
import { type Config, parseConfig } from "../config/index.js";
import type { EstimatorName } from "../config/rl.js";
import {
  type ExperimentConfig,
  mergeConfig,
  type RewardVariant,
  type ValueSource,
  type WarmupSpec,
} from "./config.js";

/** What makes one cell of the grid: everything but the seed. */
export interface CellSpec {
  size: string;
  estimator: EstimatorName;
  reward: RewardVariant;
  /** RLEV's α (irrelevant, and normalized to the default, for correctness). */
  alpha: number;
  /** Values the reward sees: exam points (true values) or weak difficulty-based ones. */
  values: ValueSource;
  /** A block's named variant of the shared config (its overrides), if any. */
  variant?: { tag: string; set: Record<string, unknown> };
}

export interface Cell extends CellSpec {
  /** e.g. "base/rloo/rlev", "base/rloo/rlev-a5", "base/rloo/rlev-weak". */
  id: string;
  /** The grid blocks that list this cell (a cell listed twice runs once). */
  blocks: string[];
}

/** A run to make: one (cell or arm, seed), with its fully resolved configuration. */
export interface Job {
  /** Cell id (experiment) or arm id (demo). */
  cell: string;
  seed: number;
  values: ValueSource;
  config: Config;
  /** Identifies the job's inputs: the resolved config (minus run mechanics), values, warm-up weights. */
  hash: string;
  runDir: string;
  /** sha256 of the warm-up checkpoint's weights. */
  warmupDigest: string;
  /**
   * Responses sampled per held-out question for the sampled value sensitivity (0 or absent: none,
   * as in the demo, which keeps its time). Not part of the hash: it adds a measurement, changes no run.
   */
  sensitivitySamples?: number;
}

/** Sampled responses per held-out question for an experiment run's sampled value sensitivity. */
export const SENSITIVITY_SAMPLES = 2;

/** JSON with object keys sorted at every level, so equal objects hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A cell's id: size/estimator/reward, with α when it is not the default and "-weak" for weak values. */
export function cellId(spec: CellSpec, defaultAlpha: number): string {
  let reward: string = spec.reward;
  if (spec.reward !== "correctness" && spec.alpha !== defaultAlpha) reward += `-a${spec.alpha}`;
  if (spec.values === "weak") reward += "-weak";
  if (spec.variant) reward += `+${spec.variant.tag}`;
  return `${spec.size}/${spec.estimator}/${reward}`;
}

/** The default α of the experiment (its shared config's reward.alpha). */
export function defaultAlpha(exp: ExperimentConfig): number {
  return parseConfig(exp.config).reward.alpha;
}

/**
 * The grid's cells: each block is the cartesian product of its axes (size × estimator × reward ×
 * α × values); cells listed by several blocks (e.g. RLOO/RLEV/α = 10 in the main grid and in the α
 * sweep) appear once, in first-listed order, with every block that lists them.
 */
export function expandGrid(exp: ExperimentConfig): Cell[] {
  const alpha0 = defaultAlpha(exp);
  const cells = new Map<string, Cell>();
  for (const block of exp.grids)
    for (const size of block.size)
      for (const estimator of block.estimator)
        for (const reward of block.reward)
          for (const a of block.alpha ?? [alpha0])
            for (const values of block.values) {
              // α does not enter the correctness reward; weak values only matter to value-weighted rewards.
              const alpha = reward === "correctness" ? alpha0 : a;
              const vals = reward === "correctness" ? "exam" : values;
              const spec: CellSpec = {
                size,
                estimator,
                reward,
                alpha,
                values: vals,
                ...(block.variant ? { variant: block.variant } : {}),
              };
              const id = cellId(spec, alpha0);
              const known = cells.get(id);
              if (known) {
                if (!known.blocks.includes(block.name)) known.blocks.push(block.name);
              } else cells.set(id, { ...spec, id, blocks: [block.name] });
            }
  return [...cells.values()];
}

/** Settings that change how a run is executed or checkpointed, never what it computes. */
function withoutMechanics(config: Config): Record<string, unknown> {
  const c = JSON.parse(JSON.stringify(config)) as Record<string, Record<string, unknown>>;
  delete c.engine;
  delete c.serve;
  delete c.client;
  delete c.train.init;
  delete c.train.checkpointEvery;
  delete c.train.keepCheckpoints;
  return c;
}

export function jobHash(config: Config, values: ValueSource, warmupDigest: string): string {
  return sha256(canonicalJson({ format: 1, config: withoutMechanics(config), values, warmupDigest })).slice(
    0,
    16,
  );
}

/** The reward part of a run's overrides. */
export function rewardOverrides(reward: RewardVariant, alpha: number | undefined, seed: number) {
  return {
    reward: {
      kind: reward,
      ...(alpha !== undefined ? { alpha } : {}),
      // Each seed shuffles the values differently, so the ablation averages over shuffles too.
      ...(reward === "shuffled" || reward === "shuffled-within" ? { shuffleSeed: seed } : {}),
    },
  };
}

/**
 * Builds a job from the shared config and its overrides (last wins), the seed, the warm-up and
 * the engine threads; its run folder is `<out>/<cell>/seed-<seed>-<hash>`, so a changed
 * configuration never resumes an old run.
 */
export function makeJob(opts: {
  cell: string;
  seed: number;
  values: ValueSource;
  layers: ReadonlyArray<Record<string, unknown>>;
  warmup: { checkpoint: string; digest: string };
  threads: number;
  out: string;
}): Job {
  const merged = mergeConfig(
    {},
    ...opts.layers,
    { seed: opts.seed },
    { train: { init: opts.warmup.checkpoint } },
    { engine: { threads: opts.threads } },
  );
  const config = parseConfig(merged, `${opts.cell} seed ${opts.seed}`);
  const hash = jobHash(config, opts.values, opts.warmup.digest);
  return {
    cell: opts.cell,
    seed: opts.seed,
    values: opts.values,
    config,
    hash,
    runDir: join(opts.out, opts.cell, `seed-${opts.seed}-${hash.slice(0, 8)}`),
    warmupDigest: opts.warmup.digest,
  };
}

/** The layers of one experiment cell: shared config, size, estimator preset, estimator, reward. */
export function cellLayers(exp: ExperimentConfig, cell: CellSpec, seed: number) {
  return [
    exp.config,
    exp.sizes[cell.size].set,
    cell.variant?.set ?? {},
    exp.estimators[cell.estimator] ?? {},
    { rl: { estimator: cell.estimator } },
    rewardOverrides(cell.reward, cell.alpha, seed),
  ];
}

/** The warm-up configuration of a size: shared config, size, the warm-up's own overrides and seed. */
export function warmupConfig(
  base: Record<string, unknown>,
  sizeSet: Record<string, unknown>,
  spec: WarmupSpec,
) {
  return parseConfig(
    mergeConfig(base, sizeSet, spec.set, { seed: spec.seed }, { engine: { threads: spec.threads } }),
    `warm-up ${spec.checkpoint}`,
  );
}

/** The grid's jobs for the warm-ups found (cells of a size without a warm-up get no jobs). */
export function planJobs(
  exp: ExperimentConfig,
  cells: readonly Cell[],
  seeds: readonly number[],
  warmups: ReadonlyMap<string, { checkpoint: string; digest: string } | null>,
  threads = 1,
): Job[] {
  const jobs: Job[] = [];
  for (const seed of seeds)
    for (const cell of cells) {
      const w = warmups.get(cell.size);
      if (!w) continue;
      jobs.push({
        ...makeJob({
          cell: cell.id,
          seed,
          values: cell.values,
          layers: cellLayers(exp, cell, seed),
          warmup: w,
          threads,
          out: exp.out,
        }),
        sensitivitySamples: SENSITIVITY_SAMPLES,
      });
    }
  return jobs;
}
