import { readFile } from "node:fs/promises";
import { z } from "zod";
import { type Config, type ConfigInput, parseConfig, parseOverrides } from "../config/index.js";
import { REWARD_KINDS } from "../config/reward.js";
import { ESTIMATORS } from "../config/rl.js";
import { zodToInputError } from "../data/jsonl.js";
import { InputError } from "../util/errors.js";

/**
 * The two orchestration files: `configs/demo.json` (three arms from one warm-up, one or two seeds)
 * and `configs/experiment.json` (a grid of cells, each with ≥ 5 seeds). Both carry a plain rlev
 * `config` section (validated by the one ConfigSchema) that every run shares; the rest says which
 * runs to make from it.
 */

const jsonObject = z.record(z.string(), z.unknown());

/** The reward variants a cell or arm may name: the reward kinds (weak values are a value source). */
export const REWARD_VARIANTS = REWARD_KINDS;
export type RewardVariant = (typeof REWARD_VARIANTS)[number];
export const VALUE_SOURCES = ["exam", "weak"] as const;
export type ValueSource = (typeof VALUE_SOURCES)[number];

/** A committed warm-up checkpoint and the settings that (re)build it with `rlev sft`. */
export const WarmupSpecSchema = z
  .object({
    /** The checkpoint directory (committed; its provenance sits beside it as `<dir>.json`). */
    checkpoint: z.string().min(1),
    /** Training seed of the warm-up (the RL seeds vary; every arm starts from this one policy). */
    seed: z.number().int().default(0),
    /** Overrides for the warm-up only (e.g. `sft.steps`), on top of the shared config and the size. */
    set: jsonObject.default({}),
    /** Engine threads of the warm-up when it must be rebuilt (0: all cores). */
    threads: z.number().int().nonnegative().default(0),
  })
  .strict();
export type WarmupSpec = z.infer<typeof WarmupSpecSchema>;

export const ArmSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, "lower-case letters, digits, '.', '_' and '-'"),
    label: z.string().min(1),
    description: z.string().optional(),
    reward: z.enum(REWARD_VARIANTS),
    values: z.enum(VALUE_SOURCES).default("exam"),
    /** Further config overrides of this arm (rare: the point is that arms differ only in the reward). */
    set: jsonObject.default({}),
  })
  .strict();
export type ArmSpec = z.infer<typeof ArmSchema>;

export const DemoConfigSchema = z
  .object({
    $comment: z.string().optional(),
    /** Output folder: one run folder per (arm, seed), the warm-up if rebuilt, report.html. */
    out: z.string().default("runs/demo"),
    jobs: z.number().int().min(1).default(2),
    seeds: z.array(z.number().int()).min(1).default([1]),
    warmup: WarmupSpecSchema,
    /** The rlev configuration every arm shares (validated by ConfigSchema). */
    config: jsonObject.default({}),
    arms: z.array(ArmSchema).min(2),
    /** Arm that each other arm is compared against in the printed table. */
    baseline: z.string().default("correctness"),
  })
  .strict();
export type DemoConfig = z.infer<typeof DemoConfigSchema>;

export const SizeSchema = z
  .object({
    label: z.string().optional(),
    warmup: WarmupSpecSchema,
    /** Overrides for this size (the model shape, and anything the size needs, e.g. the warm-up's lr). */
    set: jsonObject.default({}),
  })
  .strict();

/** One block of the grid: the cartesian product of its axes. */
export const GridBlockSchema = z
  .object({
    name: z.string().min(1),
    /** Heading of the block's rows in the results table. */
    label: z.string().optional(),
    size: z.array(z.string()).min(1),
    estimator: z.array(z.enum(ESTIMATORS)).min(1),
    reward: z.array(z.enum(REWARD_VARIANTS)).min(1),
    alpha: z.array(z.number().nonnegative()).min(1).optional(),
    values: z.array(z.enum(VALUE_SOURCES)).min(1).default(["exam"]),
    /**
     * A named variant of the shared config for this block's cells (e.g. no length cost): its
     * overrides apply to every cell of the block, whose ids end in "+<tag>".
     */
    variant: z
      .object({
        tag: z.string().regex(/^[a-z0-9-]+$/, "lower-case letters, digits and '-'"),
        set: jsonObject,
      })
      .strict()
      .optional(),
  })
  .strict();
export type GridBlock = z.infer<typeof GridBlockSchema>;

export const ExperimentConfigSchema = z
  .object({
    $comment: z.string().optional(),
    /** One JSON line per finished (cell, seed), fsync'd; committed so later sittings continue. */
    results: z.string().default("results/experiment/results.jsonl"),
    /** Run folders (checkpoints, metrics logs, responses), not committed. */
    out: z.string().default("runs/experiment"),
    /** The report (`--report`), its key chart as PNG and the README table. */
    report: z.string().default("results/experiment/report.html"),
    png: z.string().default("docs/experiment-key-chart.png"),
    jobs: z.number().int().min(1).default(2),
    seeds: z.array(z.number().int()).min(1),
    config: jsonObject.default({}),
    sizes: z.record(z.string().regex(/^[a-z0-9_-]+$/), SizeSchema),
    /** Per-estimator overrides (e.g. REINFORCE++ puts the KL in the reward, docs/method.md#reinforce-and-its-baseline-variant). */
    estimators: z.record(z.string(), jsonObject).default({}),
    grids: z.array(GridBlockSchema).min(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    const variants = new Map<string, string>();
    c.grids.forEach((g, i) => {
      if (g.variant) {
        const set = JSON.stringify(g.variant.set);
        const seen = variants.get(g.variant.tag);
        if (seen !== undefined && seen !== set)
          ctx.addIssue({
            code: "custom",
            path: ["grids", i, "variant", "set"],
            message: `variant "${g.variant.tag}" is defined twice with different settings`,
          });
        variants.set(g.variant.tag, set);
      }
      g.size.forEach((s, j) => {
        if (!(s in c.sizes))
          ctx.addIssue({
            code: "custom",
            path: ["grids", i, "size", j],
            message: `unknown size "${s}" (sizes: ${Object.keys(c.sizes).join(", ")})`,
          });
      });
    });
  });
export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;

/**
 * Offset of a JSON syntax error when the parser's message gives none: the longest prefix that
 * still parses as "unexpected end" ends just before the offending character (binary search).
 */
export function jsonErrorOffset(text: string): number | null {
  const endsEarly = (n: number) => {
    try {
      JSON.parse(text.slice(0, n));
      return true;
    } catch (err) {
      const message = (err as Error).message;
      const pos = /position (\d+)/.exec(message);
      return /end of (JSON )?(data|input)/i.test(message) || (pos !== null && Number(pos[1]) >= n);
    }
  };
  if (endsEarly(text.length)) return null;
  let lo = 0;
  let hi = text.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (endsEarly(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

async function readJsonObject(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError({ file }, code === "ENOENT" ? "no such file" : `cannot read (${code})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const m = /position (\d+)/.exec(message);
    const at = m ? Number(m[1]) : jsonErrorOffset(text);
    const line = at === null ? undefined : text.slice(0, at).split("\n").length;
    // V8 quotes the whole text in some messages; keep the first clause, on one line.
    const reason = message.replace(/,\s*"[\s\S]*" is not valid JSON$/, "").replace(/\s+/g, " ");
    throw new InputError({ file, line }, `invalid JSON (${reason})`);
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw new InputError({ file }, "must be a JSON object");
  return raw as Record<string, unknown>;
}

/** Deep merge of plain objects (arrays and scalars of `over` replace those of `base`). */
export function mergeConfig(
  base: Record<string, unknown>,
  ...overs: ReadonlyArray<Record<string, unknown>>
): Record<string, unknown> {
  let out: Record<string, unknown> = { ...base };
  for (const over of overs) {
    const next: Record<string, unknown> = { ...out };
    for (const [k, v] of Object.entries(over)) {
      const b = next[k];
      next[k] =
        v && typeof v === "object" && !Array.isArray(v) && b && typeof b === "object" && !Array.isArray(b)
          ? mergeConfig(b as Record<string, unknown>, v as Record<string, unknown>)
          : v;
    }
    out = next;
  }
  return out;
}

/** Validates a file's `config` section (and every override set) against the rlev ConfigSchema. */
function checkRlevConfig(file: string, field: string, raw: Record<string, unknown>): Config {
  try {
    return parseConfig(raw, file);
  } catch (err) {
    if (err instanceof InputError)
      throw new InputError(
        { file, field: err.location.field ? `${field}.${err.location.field}` : field },
        err.detail,
      );
    throw err;
  }
}

/** Loads and validates `configs/demo.json` (or another demo file), with `key=value` overrides of its `config`. */
export async function loadDemoConfig(file: string, overrides: readonly string[] = []): Promise<DemoConfig> {
  const raw = await readJsonObject(file);
  const parsed = DemoConfigSchema.safeParse(raw);
  if (!parsed.success) throw zodToInputError(parsed.error, { file });
  const demo = parsed.data;
  demo.config = mergeConfig(demo.config, parseOverrides(overrides));
  checkRlevConfig(file, "config", demo.config);
  for (const [i, arm] of demo.arms.entries())
    checkRlevConfig(file, `arms.${i}.set`, mergeConfig(demo.config, arm.set));
  const ids = new Set<string>();
  for (const [i, arm] of demo.arms.entries()) {
    if (ids.has(arm.id))
      throw new InputError({ file, field: `arms.${i}.id` }, `duplicate arm id "${arm.id}"`);
    ids.add(arm.id);
  }
  if (!ids.has(demo.baseline))
    throw new InputError({ file, field: "baseline" }, `no arm has id "${demo.baseline}"`);
  return demo;
}

/** Loads and validates `configs/experiment.json`, with `key=value` overrides of its `config`. */
export async function loadExperimentConfig(
  file: string,
  overrides: readonly string[] = [],
): Promise<ExperimentConfig> {
  const raw = await readJsonObject(file);
  const parsed = ExperimentConfigSchema.safeParse(raw);
  if (!parsed.success) throw zodToInputError(parsed.error, { file });
  const exp = parsed.data;
  exp.config = mergeConfig(exp.config, parseOverrides(overrides));
  checkRlevConfig(file, "config", exp.config);
  for (const [name, size] of Object.entries(exp.sizes))
    checkRlevConfig(file, `sizes.${name}.set`, mergeConfig(exp.config, size.set));
  for (const [name, preset] of Object.entries(exp.estimators))
    checkRlevConfig(file, `estimators.${name}`, mergeConfig(exp.config, preset));
  return exp;
}

export type { Config, ConfigInput };
