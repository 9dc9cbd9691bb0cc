import { type ChildProcess, fork } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../config/index.js";
import { writeFileAtomic } from "../util/atomic.js";
import { RlevError } from "../util/errors.js";
import type { Job } from "./grid.js";

/**
 * Runs jobs in child processes, one engine (one thread by default) each: decoding is
 * dispatch-bound, so several single-thread processes beat one multi-thread process on the same
 * cores (docs/task.md#how-the-task-was-designed). From source (tests) the child runs under tsx; from dist as plain JS.
 */

/** What a child process does. */
export type ChildTask = { kind: "rl"; job: Job } | { kind: "sft"; config: Config; outDir: string };

/** Messages a child sends to its parent. */
export type ChildMessage =
  | { type: "progress"; step: number; total: number; fields: Record<string, number> }
  | { type: "log"; message: string }
  | { type: "done"; resultPath: string }
  | { type: "interrupted"; step: number }
  | { type: "error"; message: string; exitCode: number };

export interface ChildOutcome {
  status: "done" | "interrupted";
  /** The JSON file the child wrote its result to (done only). */
  resultPath?: string;
}

const here = fileURLToPath(import.meta.url);
const fromSource = extname(here) === ".ts";
/** The child entry point next to this module (.ts from source, .js from dist). */
export const childEntry = join(dirname(here), `job-main${fromSource ? ".ts" : ".js"}`);

/**
 * Starts one child for `task` (described in `taskFile`, written here atomically), streams its
 * stderr to `logFile`, relays its messages, and resolves when it exits. Aborting `signal` sends
 * SIGINT (the child saves a checkpoint and reports "interrupted"); a child that fails rejects with
 * its own one-line error and the log's path.
 */
export async function runChild(
  task: ChildTask,
  taskFile: string,
  opts: { logFile: string; signal?: AbortSignal; onMessage?: (m: ChildMessage) => void },
): Promise<ChildOutcome> {
  await writeFileAtomic(taskFile, `${JSON.stringify(task)}\n`);
  await mkdir(dirname(opts.logFile), { recursive: true });
  const log = createWriteStream(opts.logFile, { flags: "a" });
  return new Promise<ChildOutcome>((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = fork(childEntry, [taskFile], {
        execArgv: fromSource ? ["--import", "tsx"] : [],
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        // Children never share the parent's terminal signals: the parent decides when they stop.
        detached: true,
      });
    } catch (err) {
      log.end();
      reject(err);
      return;
    }
    let outcome: ChildOutcome | null = null;
    let failure: { message: string; exitCode: number } | null = null;
    const tail: string[] = [];
    const onOutput = (chunk: Buffer) => {
      log.write(chunk);
      for (const line of chunk.toString("utf8").split("\n"))
        if (line.trim() !== "") {
          tail.push(line);
          if (tail.length > 5) tail.shift();
        }
    };
    child.stdout?.on("data", onOutput);
    child.stderr?.on("data", onOutput);
    child.on("message", (raw) => {
      const m = raw as ChildMessage;
      if (m.type === "done") outcome = { status: "done", resultPath: m.resultPath };
      else if (m.type === "interrupted") outcome = { status: "interrupted" };
      else if (m.type === "error") failure = { message: m.message, exitCode: m.exitCode };
      opts.onMessage?.(m);
    });
    const stop = () => child.kill("SIGINT");
    opts.signal?.addEventListener("abort", stop, { once: true });
    if (opts.signal?.aborted) stop();
    child.on("error", (err) => {
      failure ??= { message: err.message, exitCode: 1 };
    });
    child.on("close", (code, sig) => {
      opts.signal?.removeEventListener("abort", stop);
      log.end();
      if (outcome && (code === 0 || outcome.status === "interrupted")) {
        resolve(outcome);
        return;
      }
      if (failure) {
        const f = failure as { message: string; exitCode: number };
        reject(new RlevError(`${f.message} (log: ${opts.logFile})`, f.exitCode));
        return;
      }
      const why = sig ? `was killed by ${sig}` : `exited with code ${code}`;
      reject(
        new RlevError(
          `child process for ${taskFile} ${why}${tail.length ? `: ${tail[tail.length - 1]}` : ""} (log: ${opts.logFile})`,
        ),
      );
    });
  });
}

/**
 * Runs `tasks` with at most `jobs` at a time, in order. Once `signal` is aborted no new task
 * starts. A failure stops new starts (running ones finish) unless `keepGoing`; the failures are
 * returned, in the order they happened.
 */
export async function runPool<T>(
  tasks: readonly T[],
  jobs: number,
  runOne: (task: T, index: number) => Promise<void>,
  opts: { signal?: AbortSignal; keepGoing?: boolean } = {},
): Promise<Array<{ index: number; error: unknown }>> {
  let next = 0;
  const failures: Array<{ index: number; error: unknown }> = [];
  const worker = async () => {
    while (next < tasks.length && !opts.signal?.aborted && (opts.keepGoing || failures.length === 0)) {
      const i = next++;
      try {
        await runOne(tasks[i], i);
      } catch (error) {
        failures.push({ index: i, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, tasks.length)) }, worker));
  return failures;
}
