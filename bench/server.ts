// Reward-server benchmark: `node --import tsx bench/server.ts [--seconds 30] [--soak 60] [--clients 64] [--skip-http]`.
//
// 1. HTTP layer: the same trivial JSON route on node:http and on hono + @hono/node-server (why the
//    servers use node:http directly).
// 2. `rlev serve reward` in its own process under N concurrent OpenRLHF-style clients on loopback:
//    requests/s, p50/p99 latency, errors; one-sample and 8-sample requests.
// 3. Soak: the same with malformed requests mixed in, RSS of the server sampled from /metrics.
// Targets (issue): >= 3,000 req/s, p99 <= 20 ms, zero errors. Figures depend on the machine and on
// whatever else runs on it: the load generator shares the cores with the server.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type LoadRequest,
  type LoadTestResult,
  rssFromMetrics,
  rssGrowth,
  runLoadTest,
} from "../src/serve/load-test.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const seconds = arg("seconds", 30);
const soakSeconds = arg("soak", 60);
const clients = arg("clients", 64);
const skipHttp = process.argv.includes("--skip-http");

const SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}.";
const chat = (q: string) =>
  `<|im_start|>system\n${SYSTEM}<|im_end|>\n<|im_start|>user\n${q}<|im_end|>\n<|im_start|>assistant\n`;

/** An OpenRLHF-style request of `k` samples of one prompt; the check recomputes spec §1 by hand. */
function rewardRequest(c: number, i: number, k: number): LoadRequest {
  const a = (c * 13 + i) % 97;
  const b = (c + i * 7) % 89;
  const v = [0.01, 0.02, 0.05, 0.2][(c + i) % 4];
  const p = chat(
    `Natalia sold clips to ${a} of her friends and then ${b} more. How many clips did she sell?`,
  );
  const right = Array.from({ length: k }, (_, j) => (i + j) % 3 !== 0);
  const body = JSON.stringify({
    query: right.map(
      (ok) =>
        `${p}She sold ${a} + ${b} = ${ok ? a + b : a + b + 1} clips.\n\\boxed{${ok ? a + b : a + b + 1}}<|im_end|>`,
    ),
    prompts: right.map(() => p),
    labels: right.map(() => JSON.stringify({ reference: String(a + b), value: v, answerType: "number" })),
  });
  return {
    body,
    check(status, text) {
      if (status !== 200) return `status ${status}`;
      const j = JSON.parse(text);
      for (let s = 0; s < k; s++) {
        const want = right[s] ? 1 + Math.min(10 * v, 1) : 0;
        if (Math.abs(j.rewards[s] - want) > 1e-9) return `reward ${j.rewards[s]} != ${want}`;
      }
      return null;
    },
  };
}

function malformed(i: number): LoadRequest {
  if (i % 2 === 0) return { body: '{"query": ["x"', check: (s) => (s === 400 ? null : `want 400, got ${s}`) };
  return {
    body: JSON.stringify({ query: ["a", "b"], prompts: ["a"], labels: ["1", "2"] }),
    check: (s) => (s === 400 ? null : `want 400, got ${s}`),
  };
}

function line(label: string, r: LoadTestResult, samplesPerRequest = 1): string {
  const errors = r.wrong + r.lost;
  return `${label.padEnd(34)} ${r.requestsPerSecond.toFixed(0).padStart(7)} req/s  ${(r.requestsPerSecond * samplesPerRequest).toFixed(0).padStart(7)} samples/s  p50 ${r.latencyMs.p50.toFixed(2).padStart(6)} ms  p99 ${r.latencyMs.p99.toFixed(2).padStart(6)} ms  errors ${errors}${r.firstProblems.length ? ` (${r.firstProblems[0]})` : ""}`;
}

async function httpLayer(): Promise<void> {
  const reply = JSON.stringify({ rewards: [1.2], scores: [1], extra_logs: { value: [0.02] } });
  const body = JSON.stringify({ query: ["q"], prompts: ["p"], labels: ["l"] });
  const req = (): LoadRequest => ({ body, check: (s) => (s === 200 ? null : `status ${s}`) });
  // node:http
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
  // hono
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
  console.log(`  ratio node:http / hono: ${(a.requestsPerSecond / b.requestsPerSecond).toFixed(2)}x\n`);
}

async function startRewardServer(): Promise<{ url: string; stop(): Promise<number | null> }> {
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
    stop: () =>
      new Promise((resolve) => {
        child.on("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      }),
  };
}

async function main(): Promise<void> {
  console.log(`rlev reward-server benchmark: ${clients} clients, node ${process.version}\n`);
  if (!skipHttp) await httpLayer();
  const server = await startRewardServer();
  // Warm-up (JIT, label cache).
  await runLoadTest({
    url: server.url,
    path: "/get_reward",
    clients,
    durationMs: 2000,
    makeRequest: (c, i) => rewardRequest(c, i, 1),
  });
  const one = await runLoadTest({
    url: server.url,
    path: "/get_reward",
    clients,
    durationMs: seconds * 1000,
    makeRequest: (c, i) => rewardRequest(c, i, 1),
  });
  const eight = await runLoadTest({
    url: server.url,
    path: "/get_reward",
    clients,
    durationMs: Math.min(seconds, 10) * 1000,
    makeRequest: (c, i) => rewardRequest(c, i, 8),
  });
  console.log(`rlev serve reward (separate process), loopback:`);
  console.log(line(`  1 sample/request, ${seconds} s`, one, 1));
  console.log(line(`  8 samples/request, ${Math.min(seconds, 10)} s`, eight, 8));
  const pass = one.requestsPerSecond >= 3000 && one.latencyMs.p99 <= 20 && one.wrong + one.lost === 0;
  console.log(
    `  targets (>= 3000 req/s, p99 <= 20 ms, 0 errors, 1 sample/request): ${pass ? "met" : "NOT met"}\n`,
  );

  if (soakSeconds > 0) {
    const soak = await runLoadTest({
      url: server.url,
      path: "/get_reward",
      clients,
      durationMs: soakSeconds * 1000,
      sampleRss: () => rssFromMetrics(server.url),
      sampleEveryMs: 1000,
      makeRequest: (c, i) => ((c + i) % 10 === 0 ? malformed(i) : rewardRequest(c, i, 4)),
    });
    const mib = (b: number) => (b / 2 ** 20).toFixed(0);
    console.log(`soak, ${soakSeconds} s, 4 samples/request, 10% malformed:`);
    console.log(line("  mixed", soak, 4));
    console.log(
      `  requests ${soak.requests}, right ${soak.ok}, wrong ${soak.wrong}, lost ${soak.lost}; statuses ${JSON.stringify(soak.statuses)}`,
    );
    console.log(
      `  server RSS: first ${mib(soak.rssBytes[0])} MiB, last ${mib(soak.rssBytes.at(-1)!)} MiB, max ${mib(Math.max(...soak.rssBytes))} MiB, growth first→last quarter ${mib(rssGrowth(soak.rssBytes))} MiB`,
    );
  }
  const code = await server.stop();
  console.log(`\nserver drained and exited with code ${code}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
