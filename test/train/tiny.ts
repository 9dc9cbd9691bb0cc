import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, type ConfigInput, parseConfig } from "../../src/config/index.js";

/**
 * A tiny configuration for tests: a one-layer model, few short exams, a handful of steps, one
 * engine thread (two test files may run at once on 2 cores). Every shape stays fixed, so each
 * jitted step compiles once.
 */
export function tinyConfig(over: ConfigInput = {}): Config {
  const base: ConfigInput = {
    seed: 3,
    engine: { threads: 1 },
    model: { dModel: 32, nLayers: 1, nHeads: 2, dMlp: 64, contextLength: 32 },
    task: { trainExams: 8, testExams: 2, questionsPerExam: 10, maxSteps: 3 },
    sft: {
      steps: 6,
      batchSize: 16,
      lr: 3e-3,
      warmupSteps: 0,
      checkpointEvery: 3,
      evalEvery: 0,
      evalItems: 20,
    },
    train: {
      steps: 6,
      promptsPerStep: 4,
      samplesPerPrompt: 4,
      maxNewTokens: 12,
      miniBatches: 2,
      checkpointEvery: 2,
      keepCheckpoints: 2,
      evalEvery: 3,
      evalItems: 20,
    },
    eval: { batchSize: 32, eosPrompts: 5, bootstrap: 0, maxNewTokens: 12 },
    rl: { klCoef: 0.01 },
  };
  return parseConfig(merge(base as Record<string, unknown>, over as Record<string, unknown>));
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b))
    out[k] =
      v && typeof v === "object" && !Array.isArray(v) && out[k] && typeof out[k] === "object"
        ? merge(out[k] as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  return out;
}

export async function tempDir(prefix = "rlev-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Metrics records without the fields that measure wall-clock time (they differ run to run). */
export async function deterministicLog(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const r = JSON.parse(l) as Record<string, unknown>;
      for (const k of Object.keys(r)) if (k.startsWith("timing_s/") || k.startsWith("perf/")) delete r[k];
      return r;
    });
}
