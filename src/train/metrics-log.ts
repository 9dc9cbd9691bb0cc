import { type FileHandle, open, readFile } from "node:fs/promises";
import { writeFileAtomic } from "../util/atomic.js";

export type LogRecord = Record<string, unknown> & { step: number };

/**
 * The per-step metrics log (JSONL, one record per step). On resume from a checkpoint at step s,
 * records after s (written by the interrupted run after its last checkpoint) and any torn last
 * line are dropped, so the resumed run appends exactly what an uninterrupted run would.
 */
export class MetricsLog {
  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
  ) {}

  /** Opens the log for appending, keeping only records with `step <= keepThrough` (all when null; none when -1). */
  static async open(path: string, keepThrough: number | null): Promise<MetricsLog> {
    let text = "";
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    const kept: string[] = [];
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      let record: LogRecord;
      try {
        record = JSON.parse(line);
      } catch {
        break; // a torn line can only be the last one written
      }
      if (keepThrough === null || record.step <= keepThrough) kept.push(line);
    }
    await writeFileAtomic(path, kept.map((l) => `${l}\n`).join(""));
    return new MetricsLog(path, await open(path, "a"));
  }

  async append(record: LogRecord): Promise<void> {
    await this.fh.write(`${JSON.stringify(record)}\n`);
    // Durable before any checkpoint that claims this step is written.
    await this.fh.datasync();
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** Reads a metrics log (skipping a torn last line). */
export async function readMetricsLog(path: string): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for (const line of (await readFile(path, "utf8")).split("\n")) {
    if (line.trim() === "") continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      break;
    }
  }
  return out;
}
