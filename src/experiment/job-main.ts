import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { runSft } from "../train/sft.js";
import { RlevError } from "../util/errors.js";
import type { ChildMessage, ChildTask } from "./child.js";
import { RESULT_FILE, runRlJob } from "./job.js";

/**
 * Child-process entry of the demo and the experiment grid (started by child.ts): runs one task
 * from the JSON file named on the command line and reports over the IPC channel. SIGINT, SIGTERM
 * or a lost parent stop the run after its current step with a checkpoint.
 */
function send(m: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) resolve();
    else process.send(m, undefined, {}, () => resolve());
  });
}

async function main(): Promise<number> {
  const taskFile = process.argv[2];
  if (!taskFile) throw new RlevError("usage: job-main <task.json>", 2);
  const task = JSON.parse(await readFile(taskFile, "utf8")) as ChildTask;
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("disconnect", stop);
  const log = (message: string) => void send({ type: "log", message });

  if (task.kind === "sft") {
    let lastStep = 0;
    const r = await runSft(task.config, task.outDir, {
      signal: controller.signal,
      log,
      onRecord: (rec) => {
        lastStep = rec.step;
        const fields: Record<string, number> = {};
        if (typeof rec["sft/loss"] === "number") fields.loss = rec["sft/loss"] as number;
        if (typeof rec["sampled/acc"] === "number") fields.sampledAcc = rec["sampled/acc"] as number;
        void send({ type: "progress", step: rec.step, total: task.config.sft.steps, fields });
      },
    });
    if (r.status === "interrupted") {
      await send({ type: "interrupted", step: lastStep });
      return 130;
    }
    await send({ type: "done", resultPath: join(task.outDir, "summary.json") });
    return 0;
  }

  const record = await runRlJob(task.job, {
    signal: controller.signal,
    log,
    onProgress: (step, total, fields) => void send({ type: "progress", step, total, fields }),
  });
  if (!record) {
    await send({ type: "interrupted", step: 0 });
    return 130;
  }
  await send({ type: "done", resultPath: join(task.job.runDir, RESULT_FILE) });
  return 0;
}

/** Exits once the event loop is empty, or after a grace period if a handle lingers (e.g. a worker pool). */
function finish(code: number): void {
  process.exitCode = code;
  process.disconnect?.();
  setTimeout(() => process.exit(code), 2000).unref();
}

main().then(
  (code) => finish(code),
  async (err) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${err instanceof Error && err.stack ? err.stack : message}\n`);
    const code = err instanceof RlevError ? err.exitCode : 1;
    await send({ type: "error", message, exitCode: code });
    finish(code);
  },
);
