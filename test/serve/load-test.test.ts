import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type LoadRequest, runLoadTest } from "../../src/serve/load-test.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server that answers "ok", holding back its first reply for `firstDelayMs`. */
async function start(firstDelayMs: number): Promise<string> {
  let first = true;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const delay = first ? firstDelayMs : 0;
      first = false;
      setTimeout(() => res.end("ok"), delay);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const ok = (): LoadRequest => ({
  body: "{}",
  check: (s, b) => (s === 200 && b === "ok" ? null : `${s} ${b}`),
});

describe("runLoadTest, paced", () => {
  it("sends exactly the scheduled requests, whatever the load", async () => {
    const url = await start(0);
    // 200 req/s for 0.5 s: slots 0..99, shared by 4 clients.
    const seen: string[] = [];
    const r = await runLoadTest({
      url,
      path: "/",
      clients: 4,
      durationMs: 500,
      ratePerSecond: 200,
      makeRequest: (c, i) => {
        seen.push(`${c}:${i}`);
        return ok();
      },
    });
    expect(r.requests).toBe(100);
    expect(r.ok).toBe(100);
    expect(r.wrong + r.lost).toBe(0);
    expect(new Set(seen).size).toBe(100);
    for (let c = 0; c < 4; c++) expect(seen.filter((s) => s.startsWith(`${c}:`))).toHaveLength(25);
  });

  it("counts latency from the scheduled time, so requests queued behind a stall show it", async () => {
    const url = await start(300);
    // One client at 20 req/s: requests 1..5 are due at 50..250 ms but go out only after the
    // first reply (300 ms), so the second-slowest latency is at least 300 - 50 ms. Timed from
    // the send, only the first request would be slow.
    const r = await runLoadTest({
      url,
      path: "/",
      clients: 1,
      durationMs: 1000,
      ratePerSecond: 20,
      makeRequest: ok,
    });
    expect(r.requests).toBe(20);
    expect(r.latencyMs.max).toBeGreaterThanOrEqual(299);
    expect(r.latencyMs.p90).toBeGreaterThanOrEqual(249);
  });
});
