import { createHash } from "node:crypto";
import { AppendLog } from "../util/append-log.js";
import type { Generation, GenerationRequest } from "./openai.js";

/**
 * An append-only JSONL cache of endpoint replies, keyed by model + prompt + sampling
 * parameters + sample index, each line fsync'd before it counts: an interrupted evaluation
 * resumes without asking the endpoint again. A torn last line (a crash mid-write) is ignored
 * and fenced off by a newline; a key written twice keeps its first reply.
 */
export interface CacheRecord {
  key: string;
  /** The item this reply belongs to (for people reading the file; the key decides). */
  itemId: string;
  sample: number;
  model: string;
  generation: Generation;
  at: string;
}

/** Canonical JSON: object keys sorted, so that equal requests hash equally. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(",")}}`;
}

/** The key of one reply: model, prompt (or messages), sampling parameters and sample index — not the URL, so a moved server still hits the cache. */
export function cacheKey(req: GenerationRequest, sample: number): string {
  const what = req.api === "chat" ? { messages: req.messages } : { prompt: req.prompt };
  return createHash("sha256")
    .update(canonicalJson({ v: 1, api: req.api, model: req.model, ...what, params: req.params, sample }))
    .digest("hex");
}

export class ResponseCache {
  private readonly entries = new Map<string, CacheRecord>();
  private chain: Promise<void> = Promise.resolve();
  /** Lines skipped on load: torn or malformed. */
  skippedLines = 0;
  /** Keys found more than once on load (the first was kept). */
  duplicateLines = 0;

  private constructor(private readonly log: AppendLog) {}

  get path(): string {
    return this.log.path;
  }

  static async open(path: string): Promise<ResponseCache> {
    const { log, lines } = await AppendLog.open(path);
    const cache = new ResponseCache(log);
    for (const line of lines) {
      let rec: CacheRecord;
      try {
        rec = JSON.parse(line);
      } catch {
        cache.skippedLines++;
        continue;
      }
      if (typeof rec?.key !== "string" || typeof rec.generation?.text !== "string") {
        cache.skippedLines++;
        continue;
      }
      if (cache.entries.has(rec.key)) cache.duplicateLines++;
      else cache.entries.set(rec.key, rec);
    }
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): CacheRecord | undefined {
    return this.entries.get(key);
  }

  /** Appends one record and fsyncs it; resolves once it is durable. Appends are serialized. */
  put(rec: CacheRecord): Promise<void> {
    if (this.entries.has(rec.key)) return Promise.resolve();
    this.entries.set(rec.key, rec);
    const next = this.chain.then(() => this.log.append([JSON.stringify(rec)]));
    this.chain = next.catch(() => {});
    return next;
  }

  /** Waits for every pending append. */
  flush(): Promise<void> {
    return this.chain;
  }

  async close(): Promise<void> {
    await this.chain;
    await this.log.close();
  }
}
