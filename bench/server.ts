// Reward-server benchmark: `node --import tsx bench/server.ts [--seconds 30] [--soak 60] [--clients 64] [--skip-http]`.
//
// `rlev serve reward` runs in its own process and the load generator (bench/support/load-client.ts)
// in another, with keep-alive agents, so the CPU of each is measured apart (from /proc and
// process.cpuUsage). Figures:
// 1. closed loop: N clients back to back, 1 sample/request (targets: >= 3,000 req/s, p99 <= 20 ms,
//    zero errors) and 8 samples/request;
// 2. paced: the N clients together at a fixed 3,000 req/s, latency from each request's scheduled
//    time — the latency the target asks about at the target rate;
// 3. the server's own view: its request-latency histogram (/metrics, handler start to reply
//    written) beside the client's, to tell server time from queueing and client time;
// 4. the earlier set-up for comparison: the load generator in this process;
// 5. soak with 10% malformed requests, RSS of the server from /proc;
// 6. (unless --skip-http) the HTTP layer alone: node:http against hono + @hono/node-server.
// Figures depend on the machine and on whatever else runs on it.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type LoadRequest, type LoadTestResult, runLoadTest } from "../src/serve/load-test.js";
import type { BenchFigure, BenchReport } from "./engine.js";
import type { LoadClientOptions, LoadClientResult } from "./support/load-client.js";
import { rewardRequest } from "./support/reward-requests.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.env.RLEV_BENCH_QUICK === "1";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const seconds = arg("seconds", quick ? 10 : 30);
const soakSeconds = arg("soak", quick ? 0 : 60);
const clients = arg("clients", 64);
const pacedRate = arg("rate", 3000);
const skipHttp = process.argv.includes("--skip-http") || quick;

function line(label: string, r: LoadTestResult, samplesPerRequest = 1): string {
  const errors = r.wrong + r.lost;
  return `${label.padEnd(40)} ${r.requestsPerSecond.toFixed(0).padStart(7)} req/s  ${(r.requestsPerSecond * samplesPerRequest).toFixed(0).padStart(7)} samples/s  p50 ${r.latencyMs.p50.toFixed(2).padStart(6)} ms  p99 ${r.latencyMs.p99.toFixed(2).padStart(6)} ms  errors ${errors}${r.firstProblems.length ? ` (${r.firstProblems[0]})` : ""}`;
}

async function httpLayer(): Promise<{ plain: LoadTestResult; hono: LoadTestResult }> {
  const reply = JSON.stringify({ rewards: [1.2], scores: [1], extra_logs: { value: [0.02] } });
  const body = JSON.stringify({ query: ["q"], prompts: ["p"], labels: ["l"] });
  const req = (): LoadRequest => ({ body, check: (s) => (s === 200 ? null : `status ${s}`) });
  const plain = createServer((rq, rs) => {
    const chunks: Buffer[] = [];
    rq.on("data", (c) => chunks.push(c));
    rq.on("end", () => {
      JSON.parse(Buffer.concat(chunks).toString());
      rs.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(reply) });
      rs.end(reply);
    });
  });
  await new Promise<void>((r) => plain.listen(0, "127.0.0.1", () => r()));
  const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  const a = await runLoadTest({
    url: plainUrl,
    path: "/get_reward",
    clients,
    durationMs: 5000,
    makeRequest: req,
  });
  plain.close();
  plain.closeAllConnections();
  const { Hono } = await import("hono");
  const { serve } = await import("@hono/node-server");
  const app = new Hono();
  app.post("/get_reward", async (c) => {
    await c.req.json();
    return c.body(reply, 200, { "content-type": "application/json" });
  });
  const honoServer = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const honoUrl = `http://127.0.0.1:${(honoServer.address() as AddressInfo).port}`;
  const b = await runLoadTest({
    url: honoUrl,
    path: "/get_reward",
    clients,
    durationMs: 5000,
    makeRequest: req,
  });
  honoServer.close();
  console.log("HTTP layer, trivial JSON route, 5 s each, same process as the load generator:");
  console.log(line("  node:http", a));
  console.log(line("  hono + @hono/node-server", b));
  return { plain: a, hono: b };
}

/** CPU seconds (user + system) of a process so far, from /proc. */
function processCpu(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}

function processRss(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Cumulative counts of the server's /get_reward latency histogram, by upper bound (seconds). */
async function serverHistogram(url: string): Promise<Map<number, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out = new Map<number, number>();
  const re = /^rlev_http_request_seconds_bucket\{path="\/get_reward",le="([^"]+)"\} (\d+)$/gm;
  for (let m = re.exec(text); m; m = re.exec(text))
    out.set(m[1] === "+Inf" ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2]));
  return out;
}

interface ServerView {
  /** Upper bound (ms) of the histogram bucket holding the 99th percentile of handler time. */
  p99AtMostMs: number;
  /** Share of requests whose handler finished within 10 ms. */
  within10ms: number;
  requests: number;
}

function serverView(before: Map<number, number>, after: Map<number, number>): ServerView {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const delta = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const total = delta.at(-1) ?? 0;
  const i99 = delta.findIndex((c) => c >= 0.99 * total);
  const i10 = bounds.indexOf(0.01);
  return {
    p99AtMostMs: bounds[i99] * 1000,
    within10ms: total > 0 && i10 >= 0 ? delta[i10] / total : Number.NaN,
    requests: total,
  };
}

interface Measured {
  client: LoadClientResult;
  serverCpuShare: number;
  server: ServerView;
}

/** Runs the load client in its own process against the server and measures both sides. */
async function measure(url: string, serverPid: number, o: Omit<LoadClientOptions, "url">): Promise<Measured> {
  const h0 = await serverHistogram(url);
  const cpu0 = processCpu(serverPid);
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "bench/support/load-client.ts"), JSON.stringify({ url, ...o })],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  const code = await new Promise<number | null>((r) => child.on("close", r));
  const wall = (performance.now() - t0) / 1000;
  const serverCpuShare = (processCpu(serverPid) - cpu0) / wall;
  if (code !== 0) throw new Error(`load client exited with ${code}`);
  const client = JSON.parse(out.trim().split("\n").at(-1)!) as LoadClientResult;
  return { client, serverCpuShare, server: serverView(h0, await serverHistogram(url)) };
}

async function startRewardServer(): Promise<{ url: string; pid: number; stop(): Promise<number | null> }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "src/cli/run-main.ts"), "serve", "reward", "--port", "0"],
    { cwd: root, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (d) => {
      stderr += d;
      const m = /listening on (http:\/\/[^\s/]+)/.exec(stderr);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.on("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      }),
  };
}

async function main(): Promise<void> {
  const load0 = loadavg()[0];
  console.log(`rlev reward-server benchmark: ${clients} clients, node ${process.version}\n`);
  const http = skipHttp ? null : await httpLayer();
  const server = await startRewardServer();
  const figures: BenchFigure[] = [];
  const notes: string[] = [];
  // Warm-up (JIT, label cache).
  await measure(server.url, server.pid, { clients, seconds: 2, samples: 1, mode: "closed" });
  const one = await measure(server.url, server.pid, { clients, seconds, samples: 1, mode: "closed" });
  const eightSeconds = Math.min(seconds, 10);
  const eight = await measure(server.url, server.pid, {
    clients,
    seconds: eightSeconds,
    samples: 8,
    mode: "closed",
  });
  const pacedSeconds = quick ? 5 : 15;
  const paced = await measure(server.url, server.pid, {
    clients,
    seconds: pacedSeconds,
    samples: 1,
    mode: "paced",
    rate: pacedRate,
  });
  // The earlier set-up: the load generator in this process (shares this process's event loop).
  const inProcSeconds = quick ? 5 : 10;
  const inProc = await runLoadTest({
    url: server.url,
    path: "/get_reward",
    clients,
    durationMs: inProcSeconds * 1000,
    makeRequest: (c, i) => rewardRequest(c, i, 1),
  });
  console.log("rlev serve reward (own process), load client in its own process, loopback:");
  console.log(line(`  closed, 1 sample/request, ${seconds} s`, one.client, 1));
  console.log(line(`  closed, 8 samples/request, ${eightSeconds} s`, eight.client, 8));
  console.log(line(`  paced ${pacedRate} req/s, ${pacedSeconds} s`, paced.client, 1));
  console.log(line(`  closed, load generator in-process, ${inProcSeconds} s`, inProc, 1));

  const errors = (r: LoadTestResult) => r.wrong + r.lost;
  const share = (m: Measured) => m.client.cpuSeconds / m.client.wallSeconds;
  figures.push(
    {
      name: `closed loop, 1 sample/request, ${seconds} s: throughput`,
      value: one.client.requestsPerSecond,
      unit: "req/s",
      target: 3000,
    },
    { name: "closed loop, 1 sample: p50 latency", value: one.client.latencyMs.p50, unit: "ms" },
    {
      name: "closed loop, 1 sample: p99 latency",
      value: one.client.latencyMs.p99,
      unit: "ms",
      target: 20,
      atMost: true,
      baseline: 39,
    },
    { name: "closed loop, 1 sample: errors", value: errors(one.client), unit: "", target: 0, atMost: true },
    {
      name: "closed loop, 1 sample: Little's law mean latency (clients / throughput)",
      value: (1000 * clients) / one.client.requestsPerSecond,
      unit: "ms",
    },
    {
      name: "closed loop, 1 sample: server handler p99 (histogram bucket bound)",
      value: one.server.p99AtMostMs,
      unit: "ms (≤)",
    },
    {
      name: "closed loop, 1 sample: server handlers done within 10 ms",
      value: 100 * one.server.within10ms,
      unit: "%",
    },
    { name: "closed loop, 1 sample: server CPU share", value: 100 * one.serverCpuShare, unit: "% of a core" },
    { name: "closed loop, 1 sample: load generator CPU share", value: 100 * share(one), unit: "% of a core" },
    {
      name: `paced at ${pacedRate} req/s, ${pacedSeconds} s: achieved rate`,
      value: paced.client.requestsPerSecond,
      unit: "req/s",
    },
    { name: `paced at ${pacedRate} req/s: p50 latency`, value: paced.client.latencyMs.p50, unit: "ms" },
    {
      name: `paced at ${pacedRate} req/s: p99 latency (from scheduled time)`,
      value: paced.client.latencyMs.p99,
      unit: "ms",
      target: 20,
      atMost: true,
    },
    {
      name: `paced at ${pacedRate} req/s: errors`,
      value: errors(paced.client),
      unit: "",
      target: 0,
      atMost: true,
    },
    { name: `paced: server CPU share`, value: 100 * paced.serverCpuShare, unit: "% of a core" },
    { name: `paced: load generator CPU share`, value: 100 * share(paced), unit: "% of a core" },
    {
      name: `closed loop, 8 samples/request: throughput`,
      value: eight.client.requestsPerSecond,
      unit: "req/s",
    },
    {
      name: `closed loop, 8 samples/request: samples scored`,
      value: 8 * eight.client.requestsPerSecond,
      unit: "samples/s",
    },
    { name: "closed loop, 8 samples: p99 latency", value: eight.client.latencyMs.p99, unit: "ms" },
    { name: "closed loop, 8 samples: errors", value: errors(eight.client), unit: "" },
    {
      name: "load generator in the bench process (earlier set-up): throughput",
      value: inProc.requestsPerSecond,
      unit: "req/s",
    },
    { name: "load generator in the bench process: p99 latency", value: inProc.latencyMs.p99, unit: "ms" },
  );
  if (http)
    figures.push(
      { name: "HTTP layer alone, node:http: throughput", value: http.plain.requestsPerSecond, unit: "req/s" },
      { name: "HTTP layer alone, hono: throughput", value: http.hono.requestsPerSecond, unit: "req/s" },
    );

  if (soakSeconds > 0) {
    const rss: number[] = [];
    const timer = setInterval(() => rss.push(processRss(server.pid)), 1000);
    const soak = await measure(server.url, server.pid, {
      clients,
      seconds: soakSeconds,
      samples: 4,
      mode: "closed",
      malformedShare: 0.1,
    });
    clearInterval(timer);
    const mib = (b: number) => b / 2 ** 20;
    console.log(line(`  soak, 4 samples, 10% malformed, ${soakSeconds} s`, soak.client, 4));
    figures.push(
      {
        name: `soak ${soakSeconds} s, 4 samples/request, 10% malformed: throughput`,
        value: soak.client.requestsPerSecond,
        unit: "req/s",
      },
      { name: "soak: wrong replies (a malformed request must get 400)", value: soak.client.wrong, unit: "" },
      { name: "soak: lost requests", value: soak.client.lost, unit: "" },
      { name: "soak: server RSS, max", value: mib(Math.max(...rss)), unit: "MiB" },
      {
        name: "soak: server RSS, last − first sample",
        value: mib((rss.at(-1) ?? 0) - (rss[0] ?? 0)),
        unit: "MiB",
      },
    );
  }
  const code = await server.stop();
  console.log(`\nserver drained and exited with code ${code}`);
  notes.push(
    `With ${clients} closed-loop clients, the mean latency is clients / throughput (Little's law): 3,000 req/s means a mean of ${((1000 * clients) / 3000).toFixed(1)} ms, so p99 <= 20 ms in that set-up needs well over 3,000 req/s. The paced run measures latency at the target rate instead.`,
    "Server handler time runs from the request handler's start to the reply being written (the server's rlev_http_request_seconds histogram); the rest of a client's latency is queueing in the sockets while the cores are busy, and the load generator's own work.",
    "CPU shares are CPU seconds over wall seconds of each process (100% = one core).",
  );
  const report: BenchReport = {
    name: "reward server",
    conditions: {
      clients,
      "closed-loop seconds": seconds,
      "paced rate": `${pacedRate} req/s`,
      "load generator": "own process (bench/support/load-client.ts), keep-alive agent",
      "load average at start": Number(load0.toFixed(2)),
      "load average at end": Number(loadavg()[0].toFixed(2)),
    },
    figures,
    notes,
  };
  console.log(`BENCH_RESULT ${JSON.stringify(report)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
