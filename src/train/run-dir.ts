import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config/index.js";
import type { LoadedCheckpoint } from "../model/checkpoint.js";
import { type EmbeddedPolicy, isCheckpoint, readCheckpoint } from "../model/index.js";
import { writeFileAtomic } from "../util/atomic.js";
import { InputError, UsageError } from "../util/errors.js";
import { firstDifference } from "../util/json.js";

/**
 * The layout of a training run directory (SFT and RL alike):
 *
 *   config.json            the resolved configuration the run was started with
 *   run.lock               held while a trainer writes here (train/lock.ts)
 *   metrics.jsonl          one record per step (train/metrics-log.ts)
 *   checkpoints/step-N/    periodic checkpoints (model/checkpoint.ts: atomic, sha256 manifest)
 *   final/                 the final policy (weights, tokenizer, config)
 *   summary.json           what the run measured at the end
 */
export const CHECKPOINTS_DIR = "checkpoints";
export const FINAL_DIR = "final";

export function checkpointPath(outDir: string, step: number): string {
  return join(outDir, CHECKPOINTS_DIR, `step-${String(step).padStart(6, "0")}`);
}

async function checkpointSteps(outDir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(join(outDir, CHECKPOINTS_DIR));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  return names
    .map((n) => /^step-(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
}

export interface ResumePoint {
  step: number;
  dir: string;
  checkpoint: LoadedCheckpoint;
}

/**
 * The newest checkpoint of a run that reads back intact (checksums verified). A corrupted one
 * (which atomic writes make unlikely, but disks fail) is reported and the previous one used.
 */
export async function latestCheckpoint(
  outDir: string,
  warn: (m: string) => void,
): Promise<ResumePoint | null> {
  for (const step of await checkpointSteps(outDir)) {
    const dir = checkpointPath(outDir, step);
    if (!(await isCheckpoint(dir))) continue;
    try {
      return { step, dir, checkpoint: await readCheckpoint(dir) };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      warn(`skipping unreadable checkpoint ${dir}: ${err.message}`);
    }
  }
  return null;
}

/** Saves a training checkpoint for `step` and removes all but the newest `keep`. */
export async function saveStepCheckpoint(
  policy: EmbeddedPolicy,
  outDir: string,
  step: number,
  meta: Record<string, unknown>,
  keep: number,
): Promise<string> {
  const dir = checkpointPath(outDir, step);
  await policy.save(dir, { optimizerState: true, reference: policy.hasReference, meta: { ...meta, step } });
  const steps = await checkpointSteps(outDir);
  for (const old of steps.slice(keep))
    await rm(checkpointPath(outDir, old), { recursive: true, force: true });
  return dir;
}

/** Settings that may change between a run and its resumption (they do not change the trajectory). */
const RESUMABLE_KEYS = new Set([
  "sft.steps",
  "sft.checkpointEvery",
  "sft.evalEvery",
  "sft.evalItems",
  "train.steps",
  "train.checkpointEvery",
  "train.keepCheckpoints",
  "train.evalEvery",
  "train.evalItems",
  "engine.threads",
]);
const RESUMABLE_SECTIONS = new Set(["eval", "serve", "client"]);

/**
 * Records the run's configuration, or checks that a resumed run uses the same one (apart from
 * the length of the run, checkpoint/eval cadence and threads), so a resume never silently
 * continues a different experiment.
 */
export async function recordRunConfig(outDir: string, config: Config): Promise<void> {
  const path = join(outDir, "config.json");
  let previous: unknown;
  try {
    previous = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT")
      throw new InputError({ file: path }, `unreadable run configuration (${(err as Error).message})`);
  }
  if (previous !== undefined) {
    const diff = firstDifference(
      previous,
      JSON.parse(JSON.stringify(config)),
      (path) => RESUMABLE_KEYS.has(path) || RESUMABLE_SECTIONS.has(path),
    );
    if (diff)
      throw new UsageError(
        `${outDir} holds a run with a different configuration (${diff}: ${JSON.stringify(pick(previous, diff))} there); resume it with the same settings or use another --out`,
      );
  }
  await writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`);
}

function pick(obj: unknown, path: string): unknown {
  let node = obj;
  for (const k of path.split("."))
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[k] : undefined;
  return node;
}
