// The reward-server benchmark's load generator, run as its own process so that its CPU use is
// measured apart from the server's:
//   node --import tsx bench/support/load-client.ts '<json options>'
// prints one line of JSON: the load test's result plus this process's CPU seconds.
//
// Both modes run runLoadTest (src/serve/load-test.ts). "closed" — every client sends its next
// request as soon as the previous reply came, as the tests use it: throughput at saturation, and
// by Little's law a mean latency of clients / throughput. "paced" — the clients together send at a
// fixed rate (an open loop, each request at its scheduled time); latency counts from the scheduled
// time, so a stall is not hidden by the sender waiting for it (coordinated omission).
import { type LoadTestResult, runLoadTest } from "../../src/serve/load-test.js";
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

const o = JSON.parse(process.argv[2] ?? "{}") as LoadClientOptions;
const c0 = process.cpuUsage();
const t0 = performance.now();
const paced = o.mode === "paced";
const share = paced ? 0 : (o.malformedShare ?? 0);
const every = share > 0 ? Math.round(1 / share) : 0;
const result = await runLoadTest({
  url: o.url,
  path: "/get_reward",
  clients: o.clients,
  durationMs: o.seconds * 1000,
  ratePerSecond: paced ? (o.rate ?? 1000) : undefined,
  makeRequest: (c, i) => (every > 0 && (c + i) % every === 0 ? malformed(i) : rewardRequest(c, i, o.samples)),
});
const cpu = process.cpuUsage(c0);
const out: LoadClientResult = {
  ...result,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  wallSeconds: (performance.now() - t0) / 1000,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
