import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Verdict, VerifyInput } from "./types.js";
import { resolveAnswerType, type VerifierRegistry } from "./verifiers.js";
import type { WorkerMessage, WorkerTask } from "./worker.js";

export interface VerifierPoolOptions {
  /** Worker threads (default: the number of CPUs, at most 8). */
  threads?: number;
  /** Hard limit per item in milliseconds (default 3000); past it the worker is terminated and replaced. */
  timeoutMs?: number;
  /** Items sent to a worker per message (default 32); each item still has its own time limit. */
  batchSize?: number;
  /** Heap limit of each worker in MiB (default 512); a worker past it dies and the item reads "crash". */
  maxHeapMb?: number;
  /** Verifiers by answer type; types with a non-rule verifier (a judge) are verified on the main thread. */
  registry?: VerifierRegistry;
}

export interface VerifierPoolStats {
  /** Items verified to a verdict (correct or not). */
  ok: number;
  /** Items stopped at the time limit. */
  timeout: number;
  /** Items whose answer could not be read as mathematics. */
  unparseable: number;
  /** Items whose worker died (memory limit, fatal error). */
  crashed: number;
  /** Workers terminated and replaced (after timeouts and crashes). */
  restarted: number;
}

interface Task {
  id: number;
  input: VerifyInput;
  resolve: (v: Verdict) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  busy: Task[];
  timer: NodeJS.Timeout | null;
}

const here = fileURLToPath(import.meta.url);
const fromSource = here.endsWith(".ts");
const workerUrl = new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url);

/**
 * From source the worker is TypeScript. `execArgv: ["--import", "tsx"]` does not make a worker
 * thread load .ts files on Node 20 (the entry is resolved before the hooks apply), so a tiny
 * bootstrap registers tsx inside the worker and then imports the worker module.
 */
function workerEntry(): { entry: string | URL; eval: boolean } {
  if (!fromSource) return { entry: workerUrl, eval: false };
  // The ESM build of tsx's API (its CommonJS build cannot register hooks from a worker).
  const cjs = createRequire(import.meta.url).resolve("tsx/esm/api");
  const tsxApi = pathToFileURL(cjs.replace(/\.cjs$/, ".mjs")).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return { entry: code, eval: true };
}

function failed(reason: "timeout" | "crash", input: VerifyInput): Verdict {
  const v: Verdict = { correct: false, score: 0, pred: null, reason };
  if (input.mode === "answer") v.method = "given";
  return v;
}

/**
 * Verification in worker threads with a hard time limit per item: a pathological input gives
 * `reason: "timeout"` within the limit, and the stuck worker is terminated and replaced. Batches
 * amortize messaging; the limit is still per item because workers report each item as it ends.
 */
export class VerifierPool {
  private readonly threads: number;
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  private readonly maxHeapMb: number;
  private readonly registry?: VerifierRegistry;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;
  private readonly counts: VerifierPoolStats = {
    ok: 0,
    timeout: 0,
    unparseable: 0,
    crashed: 0,
    restarted: 0,
  };

  constructor(opts: VerifierPoolOptions = {}) {
    this.threads = Math.max(1, Math.floor(opts.threads ?? Math.min(8, availableParallelism())));
    this.timeoutMs = opts.timeoutMs ?? 3_000;
    this.batchSize = Math.max(1, Math.floor(opts.batchSize ?? 32));
    this.maxHeapMb = opts.maxHeapMb ?? 512;
    this.registry = opts.registry;
    if (!(this.timeoutMs > 0)) throw new RangeError("timeoutMs must be positive");
    for (let i = 0; i < this.threads; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const { entry, eval: isEval } = workerEntry();
    const worker = new Worker(entry, {
      eval: isEval,
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
    });
    const slot: Slot = { worker, ready: false, busy: [], timer: null };
    worker.on("message", (msg: WorkerMessage) => this.onMessage(slot, msg));
    worker.on("error", () => this.onDeath(slot));
    worker.on("exit", () => this.onDeath(slot));
    return slot;
  }

  private onMessage(slot: Slot, msg: WorkerMessage): void {
    if ("ready" in msg) {
      slot.ready = true;
      this.dispatch();
      return;
    }
    const task = slot.busy[0];
    if (!task || task.id !== msg.id) return;
    slot.busy.shift();
    this.count(msg.verdict);
    task.resolve(msg.verdict);
    if (slot.busy.length > 0) this.arm(slot);
    else {
      this.disarm(slot);
      this.dispatch();
    }
  }

  private count(v: Verdict): void {
    if (v.reason === "timeout") this.counts.timeout++;
    else if (v.reason === "crash") this.counts.crashed++;
    else if (v.reason === "unparseable") {
      this.counts.unparseable++;
      this.counts.ok++;
    } else this.counts.ok++;
  }

  /** Ends the item in flight with `reason`, re-queues the rest of its batch, replaces the worker. */
  private replace(slot: Slot, reason: "timeout" | "crash"): void {
    this.disarm(slot);
    const [current, ...rest] = slot.busy;
    slot.busy = [];
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    slot.worker.removeAllListeners();
    slot.worker.on("error", () => {});
    void slot.worker.terminate();
    this.counts.restarted++;
    if (current) {
      const v = failed(reason, current.input);
      this.count(v);
      current.resolve(v);
    }
    this.queue.unshift(...rest);
    if (this.closed) {
      this.slots.splice(index, 1);
      return;
    }
    this.slots[index] = this.spawn();
  }

  private onDeath(slot: Slot): void {
    if (this.closed && slot.busy.length === 0) return;
    this.replace(slot, "crash");
  }

  private arm(slot: Slot): void {
    this.disarm(slot);
    slot.timer = setTimeout(() => this.replace(slot, "timeout"), this.timeoutMs);
  }

  private disarm(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.busy.length > 0) continue;
      // Spread small queues over all workers instead of filling one batch.
      const share = Math.ceil(this.queue.length / this.slots.length);
      const batch = this.queue.splice(0, Math.max(1, Math.min(this.batchSize, share)));
      slot.busy = batch;
      slot.worker.postMessage(batch.map((t) => ({ id: t.id, input: t.input }) satisfies WorkerTask));
      this.arm(slot);
    }
  }

  /** Verifies one input under the time limit. */
  verify(input: VerifyInput): Promise<Verdict> {
    if (this.closed) return Promise.reject(new Error("VerifierPool is closed"));
    const type = resolveAnswerType(input);
    if (this.registry && !this.registry.isRuleBased(type)) return this.verifyOnMain(input, type);
    return new Promise<Verdict>((resolve) => {
      // Only plain data crosses the thread boundary: every field of VerifyInput, nothing else.
      const plain: VerifyInput = {
        reference: input.reference,
        response: input.response,
        answerType: input.answerType,
        mode: input.mode,
        multiSelect: input.multiSelect,
        partialCredit: input.partialCredit,
        approximate: input.approximate,
        blankPoints: input.blankPoints,
        lastNumberFallback: input.lastNumberFallback,
      };
      this.queue.push({ id: this.nextId++, input: plain, resolve });
      this.dispatch();
    });
  }

  /** A registered judge runs on the main thread (it is I/O-bound), under the same time limit. */
  private async verifyOnMain(
    input: VerifyInput,
    type: NonNullable<VerifyInput["answerType"]>,
  ): Promise<Verdict> {
    const verifier = (this.registry as VerifierRegistry).get(type);
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<Verdict>((resolve) => {
      timer = setTimeout(() => resolve(failed("timeout", input)), this.timeoutMs);
    });
    try {
      const v = await Promise.race([Promise.resolve(verifier.verify(input)), limit]);
      this.count(v);
      return v;
    } catch (err) {
      const v: Verdict = {
        correct: false,
        score: 0,
        pred: null,
        reason: "error",
        method: String(err).slice(0, 200),
      };
      this.count(v);
      return v;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Verifies many inputs; the verdicts come back in input order. */
  verifyMany(inputs: readonly VerifyInput[]): Promise<Verdict[]> {
    return Promise.all(inputs.map((x) => this.verify(x)));
  }

  stats(): VerifierPoolStats {
    return { ...this.counts };
  }

  /** Terminates the workers; items still queued resolve as "crash". */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.queue.splice(0)) t.resolve(failed("crash", t.input));
    await Promise.all(
      this.slots.map(async (slot) => {
        this.disarm(slot);
        for (const t of slot.busy.splice(0)) t.resolve(failed("crash", t.input));
        slot.worker.removeAllListeners();
        await slot.worker.terminate();
      }),
    );
  }
}
