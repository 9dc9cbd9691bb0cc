import { spawn } from "node:child_process";
import { access, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireRunLock, LOCK_FILE } from "../../src/train/lock.js";
import { MetricsLog, readMetricsLog } from "../../src/train/metrics-log.js";

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "rlev-train-"));
}

describe("run lock", () => {
  it("refuses a directory locked by a live process and takes over a dead one's lock", async () => {
    const dir = await tempDir();
    const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: sleeper.pid }));
    await expect(acquireRunLock(dir)).rejects.toThrow(new RegExp(`in use by process ${sleeper.pid}`));
    const exited = new Promise((r) => sleeper.once("exit", r));
    sleeper.kill("SIGKILL");
    await exited;
    const lock = await acquireRunLock(dir);
    expect(JSON.parse(await readFile(lock.path, "utf8")).pid).toBe(process.pid);
    // Held by this (live) process: a second trainer in the same process is refused too.
    await expect(acquireRunLock(dir)).rejects.toThrow(/in use/);
    await lock.release();
    const again = await acquireRunLock(dir);
    await again.release();
  });

  it("takes over a torn lock file as stale: the lock is then this process's, and held", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, LOCK_FILE), '{"pid": 12');
    const lock = await acquireRunLock(dir);
    expect(lock.path).toBe(join(dir, LOCK_FILE));
    const owner = JSON.parse(await readFile(lock.path, "utf8"));
    expect(owner).toMatchObject({ pid: process.pid, host: hostname() });
    await expect(acquireRunLock(dir)).rejects.toThrow(new RegExp(`in use by process ${process.pid}`));
    await lock.release();
    await expect(access(lock.path)).rejects.toThrow(/ENOENT/);
  });
});

describe("MetricsLog", () => {
  it("drops records after the resume step and a torn last line", async () => {
    const dir = await tempDir();
    const path = join(dir, "metrics.jsonl");
    await writeFile(path, '{"step":1,"a":1}\n{"step":2,"a":2}\n{"step":3,"a":3}\n{"step":4,"a"');
    const log = await MetricsLog.open(path, 2);
    await log.append({ step: 3, a: 33 });
    await log.close();
    expect(await readMetricsLog(path)).toEqual([
      { step: 1, a: 1 },
      { step: 2, a: 2 },
      { step: 3, a: 33 },
    ]);
  });

  it("starts a fresh log when keepThrough is 0", async () => {
    const dir = await tempDir();
    const path = join(dir, "metrics.jsonl");
    await writeFile(path, '{"step":1}\n');
    const log = await MetricsLog.open(path, 0);
    await log.close();
    expect(await readMetricsLog(path)).toEqual([]);
  });

  it("drops even step-0 records when a run starts afresh (killed before its first checkpoint)", async () => {
    const dir = await tempDir();
    const path = join(dir, "metrics.jsonl");
    await writeFile(path, '{"step":0,"eval/acc":0.5}\n');
    const log = await MetricsLog.open(path, -1);
    await log.append({ step: 0, "eval/acc": 0.5 });
    await log.close();
    expect(await readMetricsLog(path)).toEqual([{ step: 0, "eval/acc": 0.5 }]);
  });
});
