import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { canonicalJson } from "../client/cache.js";
import { AppendLog } from "../util/append-log.js";
import type { Verdict, VerifyInput } from "../verify/types.js";

/**
 * The verdicts of an interrupted `rlev grade`, append-only JSONL, each batch fsync'd before it
 * counts: a rerun grades only what is missing. The key is the verifier's whole input plus a
 * fingerprint of the verifier's code, so a changed response, reference, option or verifier is
 * graded afresh instead of read back stale. A torn last line (a crash mid-write) is ignored.
 */
export interface VerdictRecord {
  key: string;
  id: string;
  sample: number;
  verdict: Verdict;
}

let fingerprint: Promise<string> | undefined;

/** SHA-256 over the verifier's source (src/verify from source, dist/verify when built). */
export function verifierFingerprint(): Promise<string> {
  fingerprint ??= (async () => {
    const root = fileURLToPath(new URL("../verify/", import.meta.url));
    const hash = createHash("sha256");
    const walk = async (dir: string): Promise<void> => {
      const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      for (const e of entries) {
        const path = join(dir, e.name);
        if (e.isDirectory()) await walk(path);
        else if (/\.(ts|js)$/.test(e.name)) hash.update(e.name).update(await readFile(path));
      }
    };
    await walk(root);
    return hash.digest("hex");
  })();
  return fingerprint;
}

export function verdictKey(input: VerifyInput, verifier: string): string {
  return createHash("sha256")
    .update(canonicalJson({ v: 1, verifier, input }))
    .digest("hex");
}

export class VerdictCache {
  private readonly entries = new Map<string, Verdict>();
  /** Lines skipped on load: torn or malformed. */
  skippedLines = 0;

  private constructor(private readonly log: AppendLog) {}

  get path(): string {
    return this.log.path;
  }

  static async open(path: string): Promise<VerdictCache> {
    const { log, lines } = await AppendLog.open(path);
    const cache = new VerdictCache(log);
    for (const line of lines) {
      try {
        const rec = JSON.parse(line) as VerdictRecord;
        if (typeof rec?.key === "string" && typeof rec.verdict?.score === "number") {
          if (!cache.entries.has(rec.key)) cache.entries.set(rec.key, rec.verdict);
          continue;
        }
      } catch {}
      cache.skippedLines++;
    }
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Verdict | undefined {
    return this.entries.get(key);
  }

  /** Appends records and fsyncs them once; resolves when they are durable. */
  async putMany(records: readonly VerdictRecord[]): Promise<void> {
    const fresh = records.filter((r) => !this.entries.has(r.key));
    if (fresh.length === 0) return;
    for (const r of fresh) this.entries.set(r.key, r.verdict);
    await this.log.append(fresh.map((r) => JSON.stringify(r)));
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
