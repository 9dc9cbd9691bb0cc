import { HttpError } from "./http-error.js";
import type { Counter, MetricsRegistry } from "./metrics.js";

export interface HttpLimits {
  /** Largest accepted request body; larger ones get 413 without being read. */
  maxBodyBytes: number;
  /** Requests admitted at once (reading, queued or being handled); beyond it 503 + Retry-After. */
  maxPending: number;
  /** Bytes of request bodies held in memory at once, over all admitted requests. */
  maxBufferedBytes: number;
  /** A request not answered by then gets 503 (its handler is told through its AbortSignal). */
  requestTimeoutMs: number;
  /** How long close() waits for requests in flight before cutting connections. */
  drainTimeoutMs: number;
}

export const DEFAULT_LIMITS: HttpLimits = {
  maxBodyBytes: 64 * 1024 * 1024,
  maxPending: 256,
  maxBufferedBytes: 512 * 1024 * 1024,
  requestTimeoutMs: 120_000,
  drainTimeoutMs: 30_000,
};

/** An admitted request: aborted on timeout or shutdown; `release` when it is answered. */
export interface Admitted {
  readonly controller: AbortController;
  release(): void;
}

/**
 * Admission and draining: a bounded number of requests and of body bytes in flight (503 beyond
 * them), a time limit per request, and a shutdown that refuses new requests, waits for those in
 * flight and then aborts what is left.
 */
export class Admission {
  private pendingCount = 0;
  private bufferedBytes = 0;
  private isDraining = false;
  private readonly inFlight = new Set<AbortController>();
  private onIdle: (() => void) | undefined;

  /** Counts the requests refused because the queue was full. */
  private readonly rejected: Counter;

  /** Registers the admission metrics: requests pending, requests refused. */
  constructor(
    private readonly limits: HttpLimits,
    metrics: MetricsRegistry,
  ) {
    metrics.gauge("rlev_http_pending", "requests admitted and not yet answered", () => this.pendingCount);
    this.rejected = metrics.counter(
      "rlev_http_rejected_total",
      "requests refused with 503 because the queue was full",
    );
  }

  /** Requests admitted and not yet answered. */
  pending(): number {
    return this.pendingCount;
  }

  draining(): boolean {
    return this.isDraining;
  }

  /** Why a request declaring `declared` body bytes cannot be admitted now, or null. */
  refusal(declared: number): HttpError | null {
    if (this.isDraining)
      return new HttpError(503, "server is shutting down", "server_error", { "retry-after": "1" });
    if (declared > this.limits.maxBodyBytes)
      return new HttpError(413, `request body exceeds ${this.limits.maxBodyBytes} bytes`);
    const reserve = Math.max(declared, 0);
    if (
      this.pendingCount >= this.limits.maxPending ||
      this.bufferedBytes + reserve > this.limits.maxBufferedBytes
    ) {
      this.rejected.inc();
      return new HttpError(503, "server busy: queue is full", "server_error", { "retry-after": "1" });
    }
    return null;
  }

  /** Admits a request (after `refusal` said null), holding `declared` body bytes until released. */
  admit(declared: number): Admitted {
    const reserve = Math.max(declared, 0);
    this.pendingCount++;
    this.bufferedBytes += reserve;
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = setTimeout(
      () =>
        controller.abort(new HttpError(503, `request timed out after ${this.limits.requestTimeoutMs} ms`)),
      this.limits.requestTimeoutMs,
    );
    return {
      controller,
      release: () => {
        clearTimeout(timer);
        this.inFlight.delete(controller);
        this.pendingCount--;
        this.bufferedBytes -= reserve;
        if (this.pendingCount === 0 && this.onIdle) this.onIdle();
      },
    };
  }

  /** Refuses new requests from now on. */
  startDraining(): void {
    this.isDraining = true;
  }

  /** Waits for the requests in flight (up to drainTimeoutMs), then aborts those still running. */
  async drain(): Promise<void> {
    if (this.pendingCount > 0) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, this.limits.drainTimeoutMs);
        this.onIdle = () => {
          clearTimeout(t);
          r();
        };
      });
    }
    for (const ac of this.inFlight) ac.abort(new HttpError(503, "server is shutting down"));
  }
}
