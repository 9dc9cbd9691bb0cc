import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  HttpError,
  type HttpLimits,
  type Route,
  type RunningServer,
  startServer,
} from "../../src/serve/http.js";

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function start(
  routes: Route[],
  opts: { token?: string; limits?: Partial<HttpLimits>; log?: string[] } = {},
) {
  const s = await startServer({
    name: "test",
    routes,
    token: opts.token,
    limits: opts.limits,
    log: (l) => opts.log?.push(l),
  });
  servers.push(s);
  return s;
}

const echo: Route = { method: "POST", path: "/echo", handler: (r) => ({ body: { got: r.body } }) };

describe("HTTP layer", () => {
  it("listens on 127.0.0.1 by default and echoes JSON", async () => {
    const s = await start([echo]);
    expect(s.host).toBe("127.0.0.1");
    const r = await fetch(`${s.url}/echo`, { method: "POST", body: JSON.stringify({ a: [1, 2] }) });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ got: { a: [1, 2] } });
  });

  it("answers unknown paths 404 and wrong methods 405 with a JSON error", async () => {
    const s = await start([echo]);
    const r1 = await fetch(`${s.url}/nope`);
    expect(r1.status).toBe(404);
    expect((await r1.json()).error.message).toMatch(/no route/);
    const r2 = await fetch(`${s.url}/echo`);
    expect(r2.status).toBe(405);
  });

  it("rejects invalid JSON with 400 and a message", async () => {
    const s = await start([echo]);
    const r = await fetch(`${s.url}/echo`, { method: "POST", body: "{not json" });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({
      error: { message: "request body is not valid JSON", type: "invalid_request_error" },
    });
  });

  it("refuses bodies over the limit with 413, declared or streamed", async () => {
    const s = await start([echo], { limits: { maxBodyBytes: 100 } });
    const big = JSON.stringify({ x: "a".repeat(200) });
    const r1 = await fetch(`${s.url}/echo`, { method: "POST", body: big });
    expect(r1.status).toBe(413);
    // Chunked: no content-length, the limit applies while reading.
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big.slice(0, 90)));
        c.enqueue(new TextEncoder().encode(big.slice(90)));
        c.close();
      },
    });
    const r2 = await fetch(`${s.url}/echo`, { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect(r2.status).toBe(413);
    const ok = await fetch(`${s.url}/echo`, { method: "POST", body: "[1]" });
    expect(ok.status).toBe(200);
  });

  it("hides internal errors: 500 without a stack trace, details only in the log", async () => {
    const log: string[] = [];
    const s = await start(
      [
        {
          method: "GET",
          path: "/boom",
          handler: () => {
            throw new Error("secret detail");
          },
        },
        {
          method: "GET",
          path: "/teapot",
          handler: () => {
            throw new HttpError(418, "a clear message");
          },
        },
      ],
      { log },
    );
    const r = await fetch(`${s.url}/boom`);
    expect(r.status).toBe(500);
    const text = await r.text();
    expect(text).not.toMatch(/secret|at |\.ts/);
    expect(JSON.parse(text).error.message).toBe("internal server error");
    expect(log.join("\n")).toMatch(/secret detail/);
    const t = await fetch(`${s.url}/teapot`);
    expect(t.status).toBe(418);
    expect((await t.json()).error.message).toBe("a clear message");
  });

  it("requires the bearer token when set (except /health)", async () => {
    const s = await start(
      [echo, { method: "GET", path: "/health", auth: false, handler: () => ({ body: "ok" }) }],
      {
        token: "s3cret",
      },
    );
    const body = "[1]";
    expect((await fetch(`${s.url}/echo`, { method: "POST", body })).status).toBe(401);
    expect(
      (await fetch(`${s.url}/echo`, { method: "POST", body, headers: { authorization: "Bearer wrong" } }))
        .status,
    ).toBe(401);
    expect(
      (await fetch(`${s.url}/echo`, { method: "POST", body, headers: { authorization: "s3cret" } })).status,
    ).toBe(401);
    expect(
      (await fetch(`${s.url}/echo`, { method: "POST", body, headers: { authorization: "Bearer s3cret" } }))
        .status,
    ).toBe(200);
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
  });

  it("answers 503 with Retry-After when the queue is full, and recovers", async () => {
    const gate = deferred();
    let entered = 0;
    const s = await start(
      [
        {
          method: "POST",
          path: "/slow",
          handler: async () => {
            entered++;
            await gate.promise;
            return { body: { ok: true } };
          },
        },
      ],
      { limits: { maxPending: 2 } },
    );
    const first = [
      fetch(`${s.url}/slow`, { method: "POST", body: "1" }),
      fetch(`${s.url}/slow`, { method: "POST", body: "2" }),
    ];
    while (entered < 2) await new Promise((r) => setTimeout(r, 5));
    const third = await fetch(`${s.url}/slow`, { method: "POST", body: "3" });
    expect(third.status).toBe(503);
    expect(third.headers.get("retry-after")).toBe("1");
    gate.resolve();
    for (const r of await Promise.all(first)) expect(r.status).toBe(200);
    expect((await fetch(`${s.url}/slow`, { method: "POST", body: "4" })).status).toBe(200);
    expect(s.pending()).toBe(0);
  });

  it("times a stuck request out with 503 and tells the handler through its signal", async () => {
    let aborted = false;
    const s = await start(
      [
        {
          method: "POST",
          path: "/stuck",
          handler: (req) =>
            new Promise(() => {
              req.signal.addEventListener("abort", () => {
                aborted = true;
              });
            }),
        },
      ],
      { limits: { requestTimeoutMs: 50 } },
    );
    const r = await fetch(`${s.url}/stuck`, { method: "POST", body: "{}" });
    expect(r.status).toBe(503);
    expect((await r.json()).error.message).toMatch(/timed out/);
    expect(aborted).toBe(true);
    expect(s.pending()).toBe(0);
  });

  it("drains requests in flight on close and refuses new ones", async () => {
    const gate = deferred();
    let entered = false;
    const s = await start([
      {
        method: "POST",
        path: "/slow",
        handler: async () => {
          entered = true;
          await gate.promise;
          return { body: { done: true } };
        },
      },
    ]);
    const inflight = fetch(`${s.url}/slow`, { method: "POST", body: "{}" });
    while (!entered) await new Promise((r) => setTimeout(r, 5));
    const closing = s.close();
    let closed = false;
    closing.then(() => {
      closed = true;
    });
    // A new connection is refused once the listener is closed.
    await expect(fetch(`${s.url}/slow`, { method: "POST", body: "{}" })).rejects.toThrow();
    expect(closed).toBe(false);
    gate.resolve();
    const r = await inflight;
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ done: true });
    await closing;
    expect(closed).toBe(true);
  });

  it("answers malformed HTTP with a bare 400", async () => {
    const s = await start([echo]);
    const reply = await new Promise<string>((resolve, reject) => {
      const sock = connect(s.port, "127.0.0.1", () => sock.write("NOT HTTP AT ALL\r\n\r\n"));
      let data = "";
      sock.on("data", (d) => (data += d));
      sock.on("end", () => resolve(data));
      sock.on("error", reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request/);
  });
});
