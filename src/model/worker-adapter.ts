import { resolveObjectURL } from "node:buffer";
import {
  MessageChannel,
  type MessagePort,
  Worker as NodeWorker,
  receiveMessageOnPort,
} from "node:worker_threads";

/**
 * The Web `Worker` that jax-js's kernel pool needs, over node:worker_threads (Node has none, and
 * without one jax-js silently runs on one thread). See engine.ts for how the pool runs: slot 0
 * inline on the main thread, the others driven through a shared-memory control block, small
 * kernels kept on the main thread.
 */

/** Pool slot 0 runs on the main thread; set once it has been created. */
let installOptions: { inlineMain: boolean; inlineCreated: boolean } = {
  inlineMain: true,
  inlineCreated: false,
};
let workerThreadCount = 0;
/** The main-thread pool slot, once its source is loaded. */
let inlineSlot: InlineWorker | null = null;
/** Recent main-thread time (µs, moving average) of one chunk of each kernel, by kernel hash. */
const chunkMicros = new Map<string, number>();
/**
 * A chunk that takes the main thread less than this runs on the main thread for the thread slots
 * too: handing it to a worker thread costs about as much, and far more on a busy machine, where
 * every wake-up can cost a reschedule. Set by `installWorkerAdapter`.
 */
let inlineBelowMicros = 0;
/** Polls before a futex sleep on either side of a hand-off; set by `installWorkerAdapter`. */
let spinPolls = 0;

/** Worker threads started so far (pool slots other than the inline one). */
export function workerThreads(): number {
  return workerThreadCount;
}

export interface HandOffOptions {
  /** See EngineOptions.inlineBelowMicros. */
  inlineBelowMicros: number;
  /** See EngineOptions.spinPolls. */
  spinPolls: number;
}

/**
 * Installs the adapter as the global `Worker` and sets `navigator.hardwareConcurrency` (the pool
 * size jax-js reads); call before importing jax-js.
 */
export function installWorkerAdapter(threads: number, inlineMain: boolean, handOff: HandOffOptions): void {
  inlineBelowMicros = handOff.inlineBelowMicros;
  spinPolls = handOff.spinPolls;
  const g = globalThis as unknown as Record<string, unknown>;
  const nav = (g.navigator ?? {}) as Record<string, unknown>;
  try {
    Object.defineProperty(nav, "hardwareConcurrency", { value: threads, configurable: true });
  } catch {
    // navigator is frozen in some runtimes; jax-js then falls back to its default pool size.
  }
  if (!g.navigator) Object.defineProperty(g, "navigator", { value: nav, configurable: true, writable: true });
  // One thread is a pool of one inline slot rather than no pool: jax-js's pool-less path
  // instantiates the wasm module of every kernel on every launch; a pool slot caches instances.
  installOptions = { inlineMain: inlineMain || threads === 1, inlineCreated: false };
  g.Worker = WebWorkerAdapter;
}

type MessageHandler = ((event: { data: unknown }) => void) | null;
type ErrorHandler = ((event: { message: string; error?: unknown }) => void) | null;

// Control block shared with a worker thread (Int32 slots).
const REQ = 0; // request sequence number, bumped by the main thread
const DONE = 1; // sequence number of the last finished request, set by the worker
const KIND = 2; // 1: kernel (fields below), 2: a message waiting on the port
const MODULE_ID = 3;
const BEGIN = 4;
const END = 5;
const NPTRS = 6;
const OK = 7;
const PTRS = 8;
const MAX_PTRS = 128;
const CTRL_SLOTS = PTRS + MAX_PTRS;
/**
 * Polls of the control block before sleeping on a futex (20,000 polls ≈ 120 µs when warm). A hand-off
 * whose waiter sleeps pays a futex wake-up on each side, which on this project's VMs dominated
 * the small kernels of a decoding step: on the idle 2-core machine, sampling ran at ~4,800
 * tokens/s with 64 polls and ~6,900 with 20,000, the training step at ~640 → ~570 ms
 * (CHANGELOG.md, 2026-11-27: thread hand-offs). The spin ends as soon as the other side answers, and a thread that finds
 * nothing to do within it sleeps, so an idle engine does not burn a core. (A spin timed with
 * performance.now() was seen to lose futex wake-ups in Node 20; a plain counter does not.)
 */
export const DEFAULT_SPIN_POLLS = 20_000;
/**
 * Default of `inlineBelowMicros`. With the hand-off spinning instead of sleeping, splitting pays
 * from about 10 µs of main-thread work on (40 was the break-even with futex wake-ups).
 */
export const DEFAULT_INLINE_BELOW_MICROS = 10;
/** Upper bound of one futex sleep; the loop re-checks, so a lost wake-up costs at most this. */
const WAIT_MS = 20;

/**
 * Bootstrap of a worker thread. It first receives the Web Worker source and jax-js's "init" as
 * ordinary messages; after replying "ready" it serves requests from the shared control block
 * (kernel launches by module id and pointers; anything else via a MessagePort read synchronously),
 * so a kernel launch costs two shared-memory writes and a futex wake instead of two postMessage
 * round trips through both event loops.
 */
const WORKER_BOOTSTRAP = `
const { parentPort, workerData, receiveMessageOnPort } = require("node:worker_threads");
const ctrl = new Int32Array(workerData.ctrl);
const port = workerData.port;
const spinPolls = workerData.spinPolls;
let reply = null;
globalThis.self = globalThis;
globalThis.postMessage = (data) => { reply = data; };
const modules = [];
parentPort.once("message", (source) => {
  (0, eval)(source);
  parentPort.once("message", (init) => {
    globalThis.onmessage({ data: init });
    parentPort.postMessage(reply);
    serve();
  });
});
function serve() {
  let seen = 0;
  for (;;) {
    let polls = 0;
    while (Atomics.load(ctrl, ${REQ}) === seen) {
      if (++polls > spinPolls) Atomics.wait(ctrl, ${REQ}, seen, ${WAIT_MS});
    }
    seen = Atomics.load(ctrl, ${REQ});
    reply = null;
    try {
      if (ctrl[${KIND}] === 1) {
        const id = ctrl[${MODULE_ID}];
        while (modules[id] === undefined) {
          const m = receiveMessageOnPort(port);
          if (m) modules[m.message.id] = m.message;
        }
        const ptrs = Array.from(ctrl.subarray(${PTRS}, ${PTRS} + ctrl[${NPTRS}]));
        const { kernelHash, module } = modules[id];
        globalThis.onmessage({ data: { type: "kernel", kernelHash, module, ptrs, begin: ctrl[${BEGIN}], end: ctrl[${END}] } });
      } else {
        let m;
        while (!(m = receiveMessageOnPort(port))) {}
        globalThis.onmessage({ data: m.message });
      }
    } catch (err) {
      reply = { type: "done", ok: false, error: String(err) };
    }
    const ok = reply && reply.ok !== false;
    if (!ok) port.postMessage(reply ? reply.error : "no reply");
    ctrl[${OK}] = ok ? 1 : 0;
    Atomics.store(ctrl, ${DONE}, seen);
    Atomics.notify(ctrl, ${DONE});
  }
}
`;

/** The subset of the Web `Worker` interface that jax-js uses, over node:worker_threads. */
class WebWorkerAdapter {
  onmessage: MessageHandler = null;
  onerror: ErrorHandler = null;
  private readonly impl: InlineWorker | ThreadWorker;

  constructor(url: string | URL) {
    const blob = resolveObjectURL(String(url));
    if (!blob) throw new Error(`cannot resolve worker script ${String(url)}`);
    const source = blob.text();
    const deliver = (data: unknown) => this.onmessage?.({ data });
    const fail = (err: unknown) =>
      this.onerror?.({ message: err instanceof Error ? err.message : String(err), error: err });
    if (installOptions.inlineMain && !installOptions.inlineCreated) {
      installOptions.inlineCreated = true;
      this.impl = new InlineWorker(source, deliver, fail);
    } else {
      workerThreadCount++;
      this.impl = new ThreadWorker(source, deliver, fail);
    }
  }

  postMessage(data: unknown): void {
    this.impl.post(data);
  }

  terminate(): void {
    this.impl.terminate();
  }
}

/**
 * A pool slot on a real thread. After the "init"/"ready" handshake (ordinary messages), requests go
 * through the shared control block and the main thread collects the reply in a microtask queued
 * behind the inline slot's work: it runs its own chunk first, then waits (spin, then futex) for
 * this thread's chunk, all without an event-loop turn.
 */
class ThreadWorker {
  private readonly worker: NodeWorker;
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(CTRL_SLOTS * 4));
  private readonly port: MessagePort;
  private readonly moduleIds = new Map<string, number>();
  private seq = 0;
  private handshake: unknown[] | null = [];
  private ready = false;
  private dead: Error | null = null;

  constructor(
    source: Promise<string>,
    private readonly deliver: (data: unknown) => void,
    fail: (err: unknown) => void,
  ) {
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.worker = new NodeWorker(WORKER_BOOTSTRAP, {
      eval: true,
      workerData: { ctrl: this.ctrl.buffer, port: channel.port2, spinPolls },
      transferList: [channel.port2],
    });
    this.worker.on("message", (data) => {
      // Only the "ready" reply to "init" travels as a message.
      this.ready = true;
      this.worker.unref();
      deliver(data);
    });
    this.worker.on("error", (err) => {
      this.dead = err;
      fail(err);
    });
    source.then(
      (text) => {
        this.worker.postMessage(text);
        for (const data of this.handshake ?? []) this.worker.postMessage(data);
        this.handshake = null;
      },
      (err) => fail(err),
    );
  }

  post(data: unknown): void {
    if (!this.ready) {
      if (this.handshake) this.handshake.push(data);
      else this.worker.postMessage(data);
      return;
    }
    const msg = data as {
      type?: string;
      kernelHash?: string;
      module?: unknown;
      ptrs?: number[];
      begin?: number;
      end?: number;
    };
    const ctrl = this.ctrl;
    if (msg.type === "kernel" && msg.kernelHash !== undefined && inlineSlot) {
      const cost = chunkMicros.get(msg.kernelHash);
      if (cost !== undefined && cost < inlineBelowMicros) {
        const slot = inlineSlot;
        queueMicrotask(() => this.deliver(slot.execute(data)));
        return;
      }
    }
    if (msg.type === "kernel" && msg.kernelHash !== undefined && (msg.ptrs?.length ?? 0) <= MAX_PTRS) {
      let id = this.moduleIds.get(msg.kernelHash);
      if (id === undefined) {
        id = this.moduleIds.size;
        this.moduleIds.set(msg.kernelHash, id);
        this.port.postMessage({ id, kernelHash: msg.kernelHash, module: msg.module });
      }
      const ptrs = msg.ptrs ?? [];
      ctrl[KIND] = 1;
      ctrl[MODULE_ID] = id;
      ctrl[BEGIN] = msg.begin ?? 0;
      ctrl[END] = msg.end ?? 0;
      ctrl[NPTRS] = ptrs.length;
      ctrl.set(ptrs, PTRS);
    } else {
      ctrl[KIND] = 2;
      this.port.postMessage(data);
    }
    const seq = ++this.seq;
    Atomics.store(ctrl, REQ, seq);
    Atomics.notify(ctrl, REQ);
    queueMicrotask(() => this.collect(seq));
  }

  /** Waits for request `seq` to finish and delivers jax-js's "done" reply. */
  private collect(seq: number): void {
    const ctrl = this.ctrl;
    let polls = 0;
    let sleeps = 0;
    while (Atomics.load(ctrl, DONE) !== seq) {
      if (this.dead) return;
      if (
        ++polls > spinPolls &&
        Atomics.wait(ctrl, DONE, Atomics.load(ctrl, DONE), WAIT_MS) === "timed-out"
      ) {
        // A dead worker cannot report itself while this thread waits: give up after ten minutes.
        if (++sleeps * WAIT_MS > 600_000) {
          this.deliver({
            type: "done",
            ok: false,
            error: "worker thread did not finish a kernel in 10 minutes",
          });
          return;
        }
      }
    }
    if (ctrl[OK] === 1) this.deliver({ type: "done", ok: true });
    else this.deliver({ type: "done", ok: false, error: String(receiveMessageOnPort(this.port)?.message) });
  }

  terminate(): void {
    void this.worker.terminate();
  }
}

/** A pool slot on the main thread: runs the worker source in a private scope, one microtask per message. */
class InlineWorker {
  private handler: MessageHandler = null;
  private ready: Promise<void>;
  private readySync = false;
  /** Where the worker source's postMessage goes; swapped while running a chunk for a thread slot. */
  private sink: (data: unknown) => void;

  constructor(source: Promise<string>, deliver: (data: unknown) => void, fail: (err: unknown) => void) {
    const scope = {
      set onmessage(h: MessageHandler) {
        inline.handler = h;
      },
      get onmessage(): MessageHandler {
        return inline.handler;
      },
    };
    const inline = this;
    this.sink = deliver;
    this.ready = source.then(
      (text) => {
        // The worker source assigns `self.onmessage` and calls `postMessage`; give it both.
        new Function("self", "postMessage", text)(scope, (data: unknown) => inline.sink(data));
        this.ready = Promise.resolve();
        this.readySync = true;
        inlineSlot = this;
      },
      (err) => fail(err),
    );
  }

  post(data: unknown): void {
    const run = () => {
      const msg = data as { type?: string; kernelHash?: string };
      if (msg.type !== "kernel" || msg.kernelHash === undefined) {
        this.handler?.({ data });
        return;
      }
      const t0 = performance.now();
      this.handler?.({ data });
      const us = (performance.now() - t0) * 1000;
      const prev = chunkMicros.get(msg.kernelHash);
      chunkMicros.set(msg.kernelHash, prev === undefined ? us : 0.8 * prev + 0.2 * us);
    };
    if (this.readySync) queueMicrotask(run);
    else void this.ready.then(run);
  }

  /** Runs a message synchronously on the main thread and returns the worker source's reply. */
  execute(data: unknown): unknown {
    let reply: unknown = { type: "done", ok: false, error: "no reply" };
    const saved = this.sink;
    this.sink = (r) => {
      reply = r;
    };
    try {
      this.handler?.({ data });
    } finally {
      this.sink = saved;
    }
    return reply;
  }

  terminate(): void {
    this.handler = null;
  }
}
