import { Agent, request } from "node:http";

/**
 * A loopback load generator for the rlev servers (used by the test suite and bench/server.ts):
 * N keep-alive clients send requests for a fixed time, back to back (closed loop) or at a fixed
 * rate (paced); every reply is checked against what its request expects, so "lost" (no reply,
 * transport error) and "wrong" (bad status or body) are counted separately. Only 127.0.0.1 /
 * localhost targets are accepted.
 */
export interface LoadRequest {
  body: string;
  /** Returns null when the reply is right, else what was wrong. */
  check(status: number, body: string): string | null;
}

export interface LoadTestOptions {
  /** Base URL of the server (must be loopback). */
  url: string;
  path: string;
  clients: number;
  durationMs: number;
  /** Builds the i-th request of client c. */
  makeRequest(client: number, i: number): LoadRequest;
  token?: string;
  /** Polled every `sampleEveryMs` for the server's resident memory (bytes). */
  sampleRss?: () => Promise<number>;
  sampleEveryMs?: number;
  /** Per-request socket timeout. */
  timeoutMs?: number;
  /**
   * Paced (open loop): the clients together send this many requests per second, each at its
   * scheduled time, and latency counts from that time, so a stall is not hidden by the sender
   * waiting for it (coordinated omission). Absent: closed loop, each client sends its next
   * request as soon as the previous reply came.
   */
  ratePerSecond?: number;
}

export interface LoadTestResult {
  requests: number;
  ok: number;
  /** Replies that came but were wrong (status or content). */
  wrong: number;
  /** Requests that got no reply (transport error or timeout). */
  lost: number;
  statuses: Record<string, number>;
  firstProblems: string[];
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  rssBytes: number[];
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!(host === "localhost" || host === "[::1]" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host)))
    throw new Error(`load tests target loopback addresses only, not ${host}`);
}

export async function runLoadTest(opts: LoadTestOptions): Promise<LoadTestResult> {
  assertLoopback(opts.url);
  const base = new URL(opts.url);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.clients });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const problems: string[] = [];
  let ok = 0;
  let wrong = 0;
  let lost = 0;
  const started = performance.now();
  const deadline = started + opts.durationMs;
  const rssBytes: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    if (!opts.sampleRss) return;
    while (sampling) {
      try {
        rssBytes.push(await opts.sampleRss());
      } catch {
        // a missed sample is not a failure of the server under test
      }
      await new Promise((r) => setTimeout(r, opts.sampleEveryMs ?? 250));
    }
  })();

  const note = (p: string) => {
    if (problems.length < 10) problems.push(p);
  };

  /** Sends one request; its latency counts from `from` (the scheduled time when paced). */
  const one = (req: LoadRequest, from = performance.now()) =>
    new Promise<void>((resolve) => {
      const r = request(
        {
          host: base.hostname,
          port: base.port,
          path: opts.path,
          method: "POST",
          agent,
          timeout: opts.timeoutMs ?? 30_000,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(req.body),
            ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            latencies.push(performance.now() - from);
            const status = res.statusCode ?? 0;
            statuses[status] = (statuses[status] ?? 0) + 1;
            const problem = req.check(status, Buffer.concat(chunks).toString("utf8"));
            if (problem === null) ok++;
            else {
              wrong++;
              note(problem);
            }
            resolve();
          });
          res.on("error", (e) => {
            lost++;
            note(`response error: ${e.message}`);
            resolve();
          });
        },
      );
      r.on("timeout", () => r.destroy(new Error("timed out")));
      r.on("error", (e) => {
        lost++;
        note(`request error: ${e.message}`);
        resolve();
      });
      r.end(req.body);
    });

  const rate = opts.ratePerSecond;
  await Promise.all(
    Array.from({ length: opts.clients }, async (_, c) => {
      if (rate === undefined) {
        for (let i = 0; performance.now() < deadline; i++) await one(opts.makeRequest(c, i));
        return;
      }
      for (let i = 0; ; i++) {
        // Client c owns every clients-th slot of the shared schedule.
        const scheduled = started + ((i * opts.clients + c) * 1000) / rate;
        if (scheduled >= deadline) break;
        const wait = scheduled - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await one(opts.makeRequest(c, i), scheduled);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  sampling = false;
  await sampler;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  const requests = ok + wrong + lost;
  return {
    requests,
    ok,
    wrong,
    lost,
    statuses,
    firstProblems: problems,
    seconds,
    requestsPerSecond: requests / seconds,
    latencyMs: {
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
      max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
    },
    rssBytes,
  };
}

/** Reads process_resident_memory_bytes from a server's /metrics. */
export async function rssFromMetrics(url: string, token?: string): Promise<number> {
  const r = await fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const m = /^process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+?\d+)?)$/m.exec(await r.text());
  if (!m) throw new Error("no process_resident_memory_bytes in /metrics");
  return Number(m[1]);
}

/** RSS growth between the first and the last quarter of the samples (max of each), in bytes. */
export function rssGrowth(samples: readonly number[]): number {
  if (samples.length < 4) return 0;
  const q = Math.floor(samples.length / 4);
  const first = Math.max(...samples.slice(0, q));
  const last = Math.max(...samples.slice(samples.length - q));
  return last - first;
}
