import { randomBytes } from "node:crypto";
import { cp, readFile, rename, rm } from "node:fs/promises";
import { cpus } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import type { Config } from "../config/index.js";
import type { TaskConfig } from "../config/task.js";
import { checkpointDigest, readCheckpoint } from "../model/checkpoint.js";
import { generateExams } from "../task/exams.js";
import { writeFileAtomic } from "../util/atomic.js";
import { InputError, RlevError } from "../util/errors.js";
import { firstDifference } from "../util/json.js";
import { type ChildMessage, runChild } from "./child.js";
import { canonicalJson, sha256 } from "./grid.js";

/**
 * The warm-up policy every arm starts from. A checkpoint made by `rlev sft` may be committed
 * (`checkpoints/warmup/<name>/`) with its provenance beside it:
 *
 *   <dir>.config.json     the exact configuration given to `rlev sft --config`
 *   <dir>.manifest.json   the command, seed, settings hash, task fingerprint and sha256 of the weights
 *
 * A run uses it only when it matches: same warm-up settings (seed, task, model, sft, optimizer),
 * the same generated exams (the task fingerprint catches a changed generator), and intact files
 * (every checksum of the checkpoint verified). Otherwise the warm-up is rebuilt under the run folder.
 */

export interface WarmupManifest {
  format: "rlev-warmup";
  version: 1;
  /** The exact command that produced the checkpoint. */
  command: string;
  seed: number;
  /** sha256 of the canonical warm-up settings. */
  settingsHash: string;
  taskFingerprint: string;
  /** sha256 of model.safetensors (as the checkpoint's own manifest records it). */
  sha256: string;
  settings: WarmupSettings;
  result?: {
    steps: number;
    trainSeconds: number;
    greedy?: { acc: number; hAcc: number; workedShare: number };
    sampled?: { acc: number; hAcc: number; workedShare: number };
  };
  createdAt: string;
  machine: string;
}

export interface WarmupSettings {
  seed: number;
  task: Config["task"];
  model: Config["model"];
  sft: Config["sft"];
  optimizer: Config["optimizer"];
}

export function warmupSettings(config: Config): WarmupSettings {
  return {
    seed: config.seed,
    task: config.task,
    model: config.model,
    sft: { ...config.sft, checkpointEvery: 0, evalEvery: 0, evalItems: 0 },
    optimizer: config.optimizer,
  };
}

/** sha256 of the first exams the generator makes (prompts, answers, values): a changed generator shows. */
export function taskFingerprint(task: TaskConfig): string {
  const { train, test } = generateExams({ ...task, trainExams: Math.min(task.trainExams, 4), testExams: 2 });
  return sha256(
    canonicalJson(
      [...train, ...test].map((i) => [i.id, i.prompt, i.reference, i.value, i.difficulty ?? null]),
    ),
  );
}

export const manifestPath = (dir: string) => `${dir}.manifest.json`;
export const configPath = (dir: string) => `${dir}.config.json`;

export type WarmupCheck =
  | { ok: true; digest: string; manifest: WarmupManifest }
  | { ok: false; reason: string };

/** Whether the checkpoint at `dir` is the warm-up `config` describes (see the module comment). */
export async function checkWarmup(dir: string, config: Config): Promise<WarmupCheck> {
  let manifest: WarmupManifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath(dir), "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: code === "ENOENT" ? `${manifestPath(dir)} is missing` : `${manifestPath(dir)} is unreadable`,
    };
  }
  const settings = warmupSettings(config);
  if (manifest.settingsHash !== sha256(canonicalJson(settings))) {
    const field = firstDifference(manifest.settings, JSON.parse(JSON.stringify(settings)));
    return { ok: false, reason: `its warm-up settings differ (${field ?? "settings"})` };
  }
  if (manifest.taskFingerprint !== taskFingerprint(config.task))
    return { ok: false, reason: "the task generator now makes different exams" };
  try {
    await readCheckpoint(dir);
    const digest = await checkpointDigest(dir);
    if (digest !== manifest.sha256)
      return {
        ok: false,
        reason: `its weights' sha256 ${digest.slice(0, 12)}… is not the manifest's ${manifest.sha256.slice(0, 12)}…`,
      };
    return { ok: true, digest, manifest };
  } catch (err) {
    if (err instanceof InputError) return { ok: false, reason: err.message };
    throw err;
  }
}

export interface WarmupResult {
  checkpoint: string;
  digest: string;
  source: "committed" | "rebuilt";
  manifest: WarmupManifest;
}

export interface EnsureWarmupOptions {
  /** Name in messages, e.g. "base". */
  name: string;
  /** The committed checkpoint directory. */
  checkpoint: string;
  /** The warm-up's resolved configuration (seed, task, model, sft, optimizer, engine). */
  config: Config;
  /** Where a rebuilt warm-up goes (its run folder; the policy lands in `<dir>/final`). */
  rebuildRoot: string;
  /** Also install a rebuilt warm-up at `checkpoint` (for committing it). */
  save?: boolean;
  signal?: AbortSignal;
  log?: (message: string) => void;
  onProgress?: (m: ChildMessage) => void;
}

/** Copies a directory into place atomically (temporary sibling, then rename). */
async function installDir(from: string, to: string): Promise<void> {
  const tmp = join(dirname(to), `.${basename(to)}.${randomBytes(4).toString("hex")}.tmp`);
  await cp(from, tmp, { recursive: true });
  await rm(to, { recursive: true, force: true });
  await rename(tmp, to);
}

async function writeProvenance(dir: string, config: Config, command: string, summary: unknown) {
  const s = summary as {
    steps?: number;
    trainSeconds?: number;
    greedy?: { acc: number; hAcc: number; workedShare: number };
    sampled?: { acc: number; hAcc: number; workedShare: number };
  } | null;
  const pick = (m?: { acc: number; hAcc: number; workedShare: number }) =>
    m ? { acc: m.acc, hAcc: m.hAcc, workedShare: m.workedShare } : undefined;
  const settings = warmupSettings(config);
  const manifest: WarmupManifest = {
    format: "rlev-warmup",
    version: 1,
    command,
    seed: config.seed,
    settingsHash: sha256(canonicalJson(settings)),
    taskFingerprint: taskFingerprint(config.task),
    sha256: await checkpointDigest(dir),
    settings,
    result: s
      ? {
          steps: s.steps ?? 0,
          trainSeconds: s.trainSeconds ?? 0,
          greedy: pick(s.greedy),
          sampled: pick(s.sampled),
        }
      : undefined,
    createdAt: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.versions.node}`,
  };
  await writeFileAtomic(configPath(dir), `${JSON.stringify(config, null, 2)}\n`);
  await writeFileAtomic(manifestPath(dir), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The warm-up checkpoint to start from: the committed one when it matches, else one rebuilt
 * earlier under `rebuildRoot`, else a fresh `rlev sft` run there (in a child process).
 */
export async function ensureWarmup(opts: EnsureWarmupOptions): Promise<WarmupResult> {
  const log = opts.log ?? (() => {});
  const committed = await checkWarmup(opts.checkpoint, opts.config);
  if (committed.ok)
    return {
      checkpoint: opts.checkpoint,
      digest: committed.digest,
      source: "committed",
      manifest: committed.manifest,
    };
  const hash = sha256(canonicalJson(warmupSettings(opts.config))).slice(0, 8);
  const runDir = join(opts.rebuildRoot, `${opts.name}-${hash}`);
  const rebuilt = join(runDir, "final");
  const previous = await checkWarmup(rebuilt, opts.config);
  let manifest: WarmupManifest;
  if (previous.ok) {
    log(
      `warm-up ${opts.name}: the committed ${opts.checkpoint} does not match (${committed.reason}); using ${rebuilt}`,
    );
    manifest = previous.manifest;
  } else {
    log(
      `warm-up ${opts.name}: the committed ${opts.checkpoint} does not match (${committed.reason}); rebuilding it with rlev sft in ${runDir} (${opts.config.sft.steps} steps)`,
    );
    const outcome = await runChild(
      { kind: "sft", config: opts.config, outDir: runDir },
      join(runDir, "task.json"),
      {
        logFile: join(runDir, "child.log"),
        signal: opts.signal,
        onMessage: opts.onProgress,
      },
    );
    if (outcome.status !== "done")
      throw new RlevError(`warm-up ${opts.name} was interrupted; rerun to resume it`, 130);
    const summary = JSON.parse(await readFile(join(runDir, "summary.json"), "utf8"));
    const cfgFile = configPath(rebuilt);
    manifest = await writeProvenance(
      rebuilt,
      opts.config,
      `rlev sft --config ${cfgFile} --out ${runDir}`,
      summary,
    );
  }
  if (opts.save) {
    await installDir(rebuilt, opts.checkpoint);
    const cfgFile = relative(process.cwd(), configPath(opts.checkpoint)) || configPath(opts.checkpoint);
    const runFolder = join("runs", "warmup", opts.name);
    const installed = await writeProvenance(
      opts.checkpoint,
      opts.config,
      `rlev sft --config ${cfgFile} --out ${runFolder} && cp -r ${runFolder}/final ${opts.checkpoint}`,
      manifest.result ?? null,
    );
    log(`warm-up ${opts.name}: installed at ${opts.checkpoint} (sha256 ${installed.sha256.slice(0, 12)}…)`);
    return { checkpoint: opts.checkpoint, digest: installed.sha256, source: "rebuilt", manifest: installed };
  }
  return { checkpoint: rebuilt, digest: manifest.sha256, source: "rebuilt", manifest };
}
