import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { RlevError } from "../util/errors.js";
import { type ChildMessage, runChild, runPool } from "./child.js";
import type { Job } from "./grid.js";
import { RESULT_FILE } from "./job.js";
import type { JobRecord } from "./record.js";

/** A finished job's record left in its run folder (a parent that died before collecting it). */
export async function readRunResult(job: Job): Promise<JobRecord | null> {
  try {
    const r = JSON.parse(await readFile(join(job.runDir, RESULT_FILE), "utf8")) as JobRecord;
    return r.hash === job.hash && r.cell === job.cell && r.seed === job.seed ? r : null;
  } catch {
    return null;
  }
}

export interface RunJobsOptions {
  jobs: number;
  signal?: AbortSignal;
  /** Keep starting jobs after one fails (the grid); the demo stops at the first failure. */
  keepGoing?: boolean;
  /** Called as each job finishes (in completion order), before the next one is counted. */
  onRecord?: (record: JobRecord, job: Job) => Promise<void> | void;
  log?: (message: string) => void;
}

export interface RunJobsResult {
  records: Map<Job, JobRecord>;
  failed: Array<{ job: Job; error: unknown }>;
  interrupted: Job[];
}

const pct = (x: number | undefined) => (x === undefined ? "" : `${(100 * x).toFixed(1)}%`);

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
    : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/**
 * Runs jobs in child processes, `jobs` at a time (each with its config's engine threads, 1 by
 * default). A job whose run folder already holds its result is collected without running; an
 * interrupted one resumes from its newest checkpoint next time. Progress goes to `log`: a line
 * when a job starts, at each held-out evaluation, and when it ends, with an estimate of the time left.
 */
export async function runJobs(jobs: readonly Job[], opts: RunJobsOptions): Promise<RunJobsResult> {
  const log = opts.log ?? (() => {});
  const records = new Map<Job, JobRecord>();
  const failed: RunJobsResult["failed"] = [];
  const interrupted: Job[] = [];
  const todo: Job[] = [];
  for (const job of jobs) {
    const done = await readRunResult(job);
    if (done) {
      records.set(job, done);
      await opts.onRecord?.(done, job);
    } else todo.push(job);
  }
  if (todo.length < jobs.length)
    log(`${jobs.length - todo.length} run(s) already finished in their run folders`);
  const started = performance.now();
  let finished = 0;
  let busySeconds = 0;
  const name = (job: Job) => `${job.cell} seed ${job.seed}`;
  await runPool(
    todo,
    opts.jobs,
    async (job) => {
      const t0 = performance.now();
      log(`start ${name(job)} (${job.config.train.steps} steps) → ${job.runDir}`);
      const onMessage = (m: ChildMessage) => {
        if (m.type === "log") log(`${name(job)}: ${m.message}`);
        else if (m.type === "progress" && m.fields.evalHAcc !== undefined)
          log(
            `${name(job)}: step ${m.step}/${m.total}  held-out Acc ${pct(m.fields.evalAcc)}  H-Acc ${pct(m.fields.evalHAcc)}`,
          );
      };
      try {
        const outcome = await runChild({ kind: "rl", job }, join(job.runDir, "task.json"), {
          logFile: join(job.runDir, "child.log"),
          signal: opts.signal,
          onMessage,
        });
        if (outcome.status === "interrupted") {
          interrupted.push(job);
          log(`interrupted ${name(job)} (checkpoint saved; rerun to resume)`);
          return;
        }
        const record = await readRunResult(job);
        if (!record) throw new RlevError(`${job.runDir}: the run ended without ${RESULT_FILE}`);
        records.set(job, record);
        await opts.onRecord?.(record, job);
        finished++;
        const seconds = (performance.now() - t0) / 1000;
        busySeconds += seconds;
        const left = todo.length - finished - failed.length;
        const eta =
          left > 0
            ? ` · ${left} left, about ${clock((busySeconds / finished) * (left / opts.jobs))} to go`
            : "";
        log(
          `done ${name(job)} in ${clock(seconds)}: Acc ${pct(record.final.acc)}  H-Acc ${pct(record.final.hAcc)}  length ${record.final.meanLength.toFixed(2)}${eta}`,
        );
      } catch (error) {
        failed.push({ job, error });
        log(`FAILED ${name(job)}: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      }
    },
    { signal: opts.signal, keepGoing: opts.keepGoing },
  );
  if (todo.length) log(`${finished} run(s) finished in ${clock((performance.now() - started) / 1000)}`);
  return { records, failed, interrupted };
}
