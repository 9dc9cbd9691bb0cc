import { mkdir, open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { JobRecord } from "./record.js";

/**
 * The experiment's results file: one JSON line per finished (cell, seed), appended and fsync'd as
 * each run finishes, so a grid can span several sittings. Reading skips a line that does not parse
 * or is not a result record (a line torn by a crash mid-write can only be the last one; a later
 * append starts on a fresh line, so it never glues onto it).
 */

export interface ResultsRead {
  records: JobRecord[];
  /** 1-based numbers of lines that were skipped (torn or foreign). */
  skipped: number[];
}

export function isRecord(x: unknown): x is JobRecord {
  const r = x as Partial<JobRecord> | null;
  return (
    !!r &&
    typeof r === "object" &&
    r.format === "rlev-experiment-result" &&
    typeof r.cell === "string" &&
    typeof r.seed === "number" &&
    typeof r.hash === "string" &&
    !!r.final &&
    typeof r.final.hAcc === "number"
  );
}

export async function readResults(path: string): Promise<ResultsRead> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { records: [], skipped: [] };
    throw err;
  }
  const records: JobRecord[] = [];
  const skipped: number[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      const value = JSON.parse(line);
      if (isRecord(value)) records.push(value);
      else skipped.push(i + 1);
    } catch {
      skipped.push(i + 1);
    }
  });
  return { records, skipped };
}

/** Appends one record as a line and fsyncs the file before returning. */
export async function appendResult(path: string, record: JobRecord): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const fh = await open(path, "a+");
  try {
    // A torn last line (no newline) gets one, so the new record starts on its own line.
    const { size } = await fh.stat();
    let prefix = "";
    if (size > 0) {
      const last = Buffer.alloc(1);
      await fh.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = "\n";
    }
    await fh.write(`${prefix}${JSON.stringify(record)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The key of a finished run: same cell, seed and inputs (hash). */
export const resultKey = (r: Pick<JobRecord, "cell" | "seed" | "hash">) =>
  `${r.cell}\u0000${r.seed}\u0000${r.hash}`;

/**
 * The records that count for the current grid: for each (cell, seed), the last record whose hash
 * is the job's current hash. Records of changed configurations (stale hashes) are left out.
 */
export function currentRecords(
  records: readonly JobRecord[],
  wanted: ReadonlyMap<string, string>,
): Map<string, JobRecord> {
  const out = new Map<string, JobRecord>();
  for (const r of records) {
    const key = `${r.cell}\u0000${r.seed}`;
    if (wanted.get(key) === r.hash) out.set(key, r);
  }
  return out;
}
