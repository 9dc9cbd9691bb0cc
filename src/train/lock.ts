import { open, readFile, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { UsageError } from "../util/errors.js";

export const LOCK_FILE = "run.lock";

export interface RunLock {
  path: string;
  release(): Promise<void>;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the lock of a run directory so that two trainers never write one run. The lock file is
 * created exclusively (O_EXCL) and holds the owner's PID; a lock whose PID is dead (a killed
 * trainer) is stale and taken over.
 */
export async function acquireRunLock(dir: string): Promise<RunLock> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, "wx");
      await fh.writeFile(
        `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`,
      );
      await fh.sync();
      await fh.close();
      let released = false;
      return {
        path,
        release: async () => {
          if (released) return;
          released = true;
          await rm(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let owner: { pid?: number; host?: string } = {};
    try {
      owner = JSON.parse(await readFile(path, "utf8"));
    } catch {
      // Unreadable or half-written lock (its writer died mid-write): treat as stale.
    }
    const sameHost = owner.host === undefined || owner.host === hostname();
    if (typeof owner.pid === "number" && sameHost && pidAlive(owner.pid))
      throw new UsageError(
        `run directory ${dir} is in use by process ${owner.pid} (lock file ${path}); stop it or use another --out`,
      );
    if (typeof owner.pid === "number" && !sameHost)
      throw new UsageError(
        `run directory ${dir} is locked by process ${owner.pid} on host ${owner.host} (${path})`,
      );
    await rm(path, { force: true });
  }
  throw new UsageError(`cannot take the lock ${path}: another process keeps recreating it`);
}
