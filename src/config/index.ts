import { readFile } from "node:fs/promises";
import { z } from "zod";
import { InputError, UsageError } from "../util/errors.js";
import { parseJsonDocument } from "../util/json.js";
import { ClientConfigSchema } from "./client.js";
import { DataConfigSchema } from "./data.js";
import { EvalConfigSchema } from "./eval.js";
import { EngineConfigSchema, ModelConfigSchema, OptimizerConfigSchema } from "./model.js";
import { RewardConfigSchema } from "./reward.js";
import { RlConfigSchema } from "./rl.js";
import { ServeConfigSchema } from "./serve.js";
import { SftConfigSchema } from "./sft.js";
import { TaskConfigSchema } from "./task.js";
import { TrainConfigSchema } from "./train.js";

export { type ClientConfig, ClientConfigSchema, type JudgeConfig, JudgeConfigSchema } from "./client.js";
export { type DataConfig, DataConfigSchema } from "./data.js";
export { type EvalConfig, EvalConfigSchema } from "./eval.js";
export {
  type EngineConfig,
  EngineConfigSchema,
  type ModelConfig,
  type ModelConfigInput,
  ModelConfigSchema,
  type OptimizerConfig,
  OptimizerConfigSchema,
} from "./model.js";
export { REWARD_KINDS, type RewardConfig, RewardConfigSchema, type RewardKind } from "./reward.js";
export {
  AGGREGATIONS,
  type AggregationName,
  ESTIMATORS,
  type EstimatorName,
  KL_ESTIMATORS,
  type KlEstimatorName,
  type RlConfig,
  RlConfigSchema,
} from "./rl.js";
export { type ServeConfig, ServeConfigSchema } from "./serve.js";
export { type SftConfig, SftConfigSchema } from "./sft.js";
export { type TaskConfig, TaskConfigSchema } from "./task.js";
export { type TrainConfig, TrainConfigSchema } from "./train.js";

/**
 * The one configuration schema: every setting and every default of rlev lives in a section
 * file of this folder; the CLI, config files and the library all parse through it.
 */
export const ConfigSchema = z
  .object({
    seed: z.number().int().default(0),
    reward: RewardConfigSchema.prefault({}),
    rl: RlConfigSchema.prefault({}),
    task: TaskConfigSchema.prefault({}),
    sft: SftConfigSchema.prefault({}),
    train: TrainConfigSchema.prefault({}),
    eval: EvalConfigSchema.prefault({}),
    serve: ServeConfigSchema.prefault({}),
    client: ClientConfigSchema.prefault({}),
    data: DataConfigSchema.prefault({}),
    model: ModelConfigSchema.prefault({}),
    optimizer: OptimizerConfigSchema.prefault({}),
    engine: EngineConfigSchema.prefault({}),
  })
  .strict();
export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export function parseConfig(input: unknown, source = "config"): Config {
  const parsed = ConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError({ file: source, field: issue.path.map(String).join(".") }, issue.message);
  }
  return parsed.data;
}

/** Sets a dotted path (`rl.estimator`) in a plain object, creating sections on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (typeof next !== "object" || next === null || Array.isArray(next))
      throw new UsageError(`cannot set "${path}": "${key}" is not a section`);
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** Parses `key=value` overrides; values are JSON when they parse as JSON, else strings. */
export function parseOverrides(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`override "${pair}" must look like key=value (e.g. rl.estimator=rloo)`);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    setPath(out, pair.slice(0, eq), value);
  }
  return out;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === "object" && !Array.isArray(v) && b && typeof b === "object" && !Array.isArray(b)
        ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** Loads a JSON config file (optional), applies `key=value` overrides, validates the result. */
export async function loadConfig(
  file: string | undefined,
  overrides: readonly string[] = [],
): Promise<Config> {
  let raw: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      throw new InputError({ file }, "cannot read config file");
    }
    raw = parseJsonDocument(text, file) as Record<string, unknown>;
    if (!raw || typeof raw !== "object" || Array.isArray(raw))
      throw new InputError({ file }, "config must be a JSON object");
  }
  const merged = deepMerge(raw, parseOverrides(overrides));
  return parseConfig(merged, file ?? "command-line overrides");
}
