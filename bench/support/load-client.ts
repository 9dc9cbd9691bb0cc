// The reward-server benchmark's load generator, run as its own process so that its CPU use is
// measured apart from the server's:
//   node --import tsx bench/support/load-client.ts '<json options>'
// prints one line of JSON: the load test's result plus this process's CPU seconds.
//
// Modes: "closed" — every client sends its next request as soon as the previous reply came
// (runLoadTest, as the tests use it): throughput at saturation, and by Little's law a mean latency
// of clients / throughput. "paced" — the clients together send at a fixed rate (an open loop, each
// request at its scheduled time); latency counts from the scheduled time, so a stall is not hidden
// by the sender waiting for it (coordinated omission).
import { Agent, request } from "node:http";
import { type LoadRequest, type LoadTestResult, runLoadTest } from "../../src/serve/load-test.js";
import { malformed, rewardRequest } from "./reward-requests.js";

export interface LoadClientOptions {
  url: string;
  clients: number;
  seconds: number;
  samples: number;
  mode: "closed" | "paced";
  /** Requests per second of all clients together (paced mode). */
  rate?: number;
  /** Share of malformed requests (closed mode). */
  malformedShare?: number;
}

export interface LoadClientResult extends LoadTestResult {
  cpuSeconds: number;
  wallSeconds: number;
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : Number.NaN;
}

async function paced(o: LoadClientOptions): Promise<LoadTestResult> {
  const base = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.clients });
  const rate = o.rate ?? 1000;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const problems: string[] = [];
  let ok = 0;
  let wrong = 0;
  let lost = 0;
  const start = performance.now();
  const end = start + o.seconds * 1000;
  const send = (req: LoadRequest, scheduled: number) =>
    new Promise<void>((resolve) => {
      const r = request(
        {
          host: base.hostname,
          port: base.port,
          path: "/get_reward",
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(req.body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            latencies.push(performance.now() - scheduled);
            const status = res.statusCode ?? 0;
            statuses[status] = (statuses[status] ?? 0) + 1;
            const p = req.check(status, Buffer.concat(chunks).toString("utf8"));
            if (p === null) ok++;
            else {
              wrong++;
              if (problems.length < 10) problems.push(p);
            }
            resolve();
          });
        },
      );
      r.on("error", (e) => {
        lost++;
        if (problems.length < 10) problems.push(e.message);
        resolve();
      });
      r.end(req.body);
    });
  await Promise.all(
    Array.from({ length: o.clients }, async (_, c) => {
      for (let i = 0; ; i++) {
        const scheduled = start + ((i * o.clients + c) * 1000) / rate;
        if (scheduled >= end) break;
        const wait = scheduled - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await send(rewardRequest(c, i, o.samples), scheduled);
      }
    }),
  );
  agent.destroy();
  const seconds = (performance.now() - start) / 1000;
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
      p50: quantile(sorted, 0.5),
      p90: quantile(sorted, 0.9),
      p99: quantile(sorted, 0.99),
      max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
    },
    rssBytes: [],
  };
}

const o = JSON.parse(process.argv[2] ?? "{}") as LoadClientOptions;
const c0 = process.cpuUsage();
const t0 = performance.now();
const share = o.malformedShare ?? 0;
const every = share > 0 ? Math.round(1 / share) : 0;
const result =
  o.mode === "paced"
    ? await paced(o)
    : await runLoadTest({
        url: o.url,
        path: "/get_reward",
        clients: o.clients,
        durationMs: o.seconds * 1000,
        makeRequest: (c, i) =>
          every > 0 && (c + i) % every === 0 ? malformed(i) : rewardRequest(c, i, o.samples),
      });
const cpu = process.cpuUsage(c0);
const out: LoadClientResult = {
  ...result,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  wallSeconds: (performance.now() - t0) / 1000,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
