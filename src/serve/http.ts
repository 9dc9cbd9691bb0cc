import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from "./metrics.js";

/**
 * The HTTP layer shared by the rlev servers, on node:http directly (measured ~1.7x the
 * throughput of hono + @hono/node-server on loopback, see README): JSON bodies with a size
 * limit, a bounded admission queue (503 when full), a per-request timeout, an optional bearer
 * token compared in constant time, Prometheus metrics, and a graceful shutdown that drains
 * the requests in flight. Clients never see a stack trace.
 */
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

/** An error whose message is safe to show the client, with its HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = status >= 500 ? "server_error" : "invalid_request_error",
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export interface JsonRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  /** Parsed JSON body (undefined for bodiless requests). */
  body: unknown;
  /** Aborted when the request times out, the client disconnects, or the server is cut off. */
  signal: AbortSignal;
}

export interface Reply {
  status?: number;
  /** A string or Buffer is sent as is; anything else is sent as JSON. */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A handler may answer with a Reply, or stream by writing `res` itself and returning "streamed". */
export type Handler = (
  req: JsonRequest,
  res: ServerResponse,
) => Reply | "streamed" | Promise<Reply | "streamed">;

export interface Route {
  method: "GET" | "POST";
  path: string;
  handler: Handler;
  /** False for routes open without the bearer token (/health). Default true. */
  auth?: boolean;
}

export interface ServerOptions {
  name: string;
  routes: Route[];
  host?: string;
  port?: number;
  /** When set, every route with auth requires `Authorization: Bearer <token>`. */
  token?: string;
  limits?: Partial<HttpLimits>;
  metrics?: MetricsRegistry;
  /** Where internal errors are logged (never sent to the client). Default: stderr. */
  log?: (line: string) => void;
}

export interface RunningServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly metrics: MetricsRegistry;
  /** Requests admitted and not yet answered. */
  pending(): number;
  /** Stops accepting, lets requests in flight finish (up to drainTimeoutMs), then closes. */
  close(): Promise<void>;
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

/** Constant-time check of an Authorization header against the token (hashing equalizes lengths). */
export function bearerMatches(header: string | undefined, tokenDigest: Buffer): boolean {
  const given = header?.startsWith("Bearer ") ? header.slice(7).trim() : "";
  return timingSafeEqual(digest(given), tokenDigest);
}

function errorBody(message: string, type: string): string {
  return JSON.stringify({ error: { message, type } });
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export function startServer(opts: ServerOptions): Promise<RunningServer> {
  const limits: HttpLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const host = opts.host ?? "127.0.0.1";
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const metrics = opts.metrics ?? new MetricsRegistry();
  const tokenDigest = opts.token ? digest(opts.token) : undefined;
  const routes = new Map<string, Route>();
  const paths = new Set<string>();
  for (const r of opts.routes) {
    routes.set(`${r.method} ${r.path}`, r);
    paths.add(r.path);
  }

  let pending = 0;
  let bufferedBytes = 0;
  let draining = false;
  const inFlight = new Set<AbortController>();
  let onIdle: (() => void) | undefined;

  const requests = metrics.counter("rlev_http_requests_total", "HTTP requests answered, by path and status");
  const latency = metrics.histogram("rlev_http_request_seconds", "HTTP request latency", LATENCY_BUCKETS);
  metrics.gauge("rlev_http_pending", "requests admitted and not yet answered", () => pending);
  const rejected = metrics.counter(
    "rlev_http_rejected_total",
    "requests refused with 503 because the queue was full",
  );
  metrics.gauge("process_resident_memory_bytes", "resident set size", () => process.memoryUsage.rss());

  const send = (
    res: ServerResponse,
    status: number,
    body: string | Buffer,
    contentType: string,
    extra?: Record<string, string>,
  ) => {
    if (res.headersSent || res.writableEnded) return;
    const headers: Record<string, string | number> = {
      "content-type": contentType,
      "content-length": Buffer.byteLength(body),
      ...extra,
    };
    if (draining) headers.connection = "close";
    res.writeHead(status, headers);
    res.end(body);
  };

  const sendError = (res: ServerResponse, err: HttpError) =>
    send(res, err.status, errorBody(err.message, err.type), "application/json", err.headers);

  const readBody = (req: IncomingMessage, signal: AbortSignal): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const fail = (e: HttpError) => {
        req.removeAllListeners("data");
        // Drain what the client still sends so that the 4xx reply reaches it.
        req.resume();
        reject(e);
      };
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBodyBytes)
          return fail(new HttpError(413, `request body exceeds ${limits.maxBodyBytes} bytes`));
        chunks.push(chunk);
      });
      req.on("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
      req.on("error", () => reject(new HttpError(400, "request body could not be read")));
      signal.addEventListener("abort", () => reject(new HttpError(503, "request timed out")), { once: true });
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const method = req.method ?? "GET";
    const finish = (status: number) => {
      const routeLabel = paths.has(path) ? path : "other";
      requests.inc({ path: routeLabel, code: String(status) });
      latency.observe(Number(process.hrtime.bigint() - started) / 1e9, { path: routeLabel });
    };
    res.once("finish", () => finish(res.statusCode));

    const route = routes.get(`${method} ${path}`);
    if (!route) {
      const status = paths.has(path) ? 405 : 404;
      req.resume();
      return sendError(
        res,
        new HttpError(
          status,
          status === 405 ? `method ${method} not allowed on ${path}` : `no route ${path}`,
        ),
      );
    }
    if (tokenDigest && route.auth !== false && !bearerMatches(req.headers.authorization, tokenDigest)) {
      req.resume();
      return sendError(
        res,
        new HttpError(401, "missing or wrong bearer token", "authentication_error", {
          "www-authenticate": "Bearer",
        }),
      );
    }
    if (draining) {
      req.resume();
      return sendError(
        res,
        new HttpError(503, "server is shutting down", "server_error", { "retry-after": "1" }),
      );
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limits.maxBodyBytes) {
      req.resume();
      return sendError(res, new HttpError(413, `request body exceeds ${limits.maxBodyBytes} bytes`));
    }
    const reserve = Math.max(declared, 0);
    if (pending >= limits.maxPending || bufferedBytes + reserve > limits.maxBufferedBytes) {
      rejected.inc();
      req.resume();
      return sendError(
        res,
        new HttpError(503, "server busy: queue is full", "server_error", { "retry-after": "1" }),
      );
    }

    pending++;
    bufferedBytes += reserve;
    const ac = new AbortController();
    inFlight.add(ac);
    const timer = setTimeout(
      () => ac.abort(new HttpError(503, `request timed out after ${limits.requestTimeoutMs} ms`)),
      limits.requestTimeoutMs,
    );
    const onClose = () => {
      if (!res.writableEnded) ac.abort(new HttpError(499, "client closed the connection"));
    };
    res.once("close", onClose);
    try {
      let body: unknown;
      if (method === "POST") {
        const raw = await readBody(req, ac.signal);
        if (raw.length > 0) {
          try {
            body = JSON.parse(raw.toString("utf8"));
          } catch {
            throw new HttpError(400, "request body is not valid JSON");
          }
        }
      } else req.resume();
      const jsonReq: JsonRequest = {
        method,
        path,
        query: new URLSearchParams(q < 0 ? "" : rawUrl.slice(q + 1)),
        headers: req.headers,
        body,
        signal: ac.signal,
      };
      const work = Promise.resolve(route.handler(jsonReq, res));
      const reply = await (ac.signal.aborted
        ? Promise.reject(ac.signal.reason)
        : Promise.race([
            work,
            new Promise<never>((_, reject) =>
              ac.signal.addEventListener("abort", () => reject(ac.signal.reason), { once: true }),
            ),
          ]));
      if (reply === "streamed") return;
      const status = reply.status ?? 200;
      if (typeof reply.body === "string" || Buffer.isBuffer(reply.body))
        send(res, status, reply.body, reply.contentType ?? "text/plain; charset=utf-8", reply.headers);
      else
        send(res, status, JSON.stringify(reply.body), reply.contentType ?? "application/json", reply.headers);
    } catch (err) {
      if (err instanceof HttpError) {
        if (res.headersSent) res.destroy();
        else sendError(res, err);
      } else {
        log(
          `${opts.name}: internal error on ${method} ${path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
        if (res.headersSent) res.destroy();
        else sendError(res, new HttpError(500, "internal server error"));
      }
    } finally {
      clearTimeout(timer);
      res.off("close", onClose);
      inFlight.delete(ac);
      pending--;
      bufferedBytes -= reserve;
      if (pending === 0 && onIdle) onIdle();
    }
  };

  const server: Server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    handle(req, res).catch((err) => {
      log(`${opts.name}: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendError(res, new HttpError(500, "internal server error"));
    });
  });
  // Malformed HTTP gets a plain 400, never a stack trace.
  server.on("clientError", (_err, socket) => {
    if (socket.writable)
      socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
    else socket.destroy();
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      const addr = server.address() as AddressInfo;
      const urlHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${urlHost}:${addr.port}`,
        host: addr.address,
        port: addr.port,
        metrics,
        pending: () => pending,
        close() {
          closing ??= (async () => {
            draining = true;
            const closed = new Promise<void>((r) => server.close(() => r()));
            server.closeIdleConnections();
            if (pending > 0) {
              await new Promise<void>((r) => {
                const t = setTimeout(r, limits.drainTimeoutMs);
                onIdle = () => {
                  clearTimeout(t);
                  r();
                };
              });
            }
            for (const ac of inFlight) ac.abort(new HttpError(503, "server is shutting down"));
            server.closeAllConnections();
            await closed;
          })();
          return closing;
        },
      });
    });
  });
}

/** Routes every server exposes: GET /health (open) and GET /metrics (Prometheus text). */
export function standardRoutes(metrics: MetricsRegistry, health: () => Record<string, unknown>): Route[] {
  return [
    { method: "GET", path: "/health", auth: false, handler: () => ({ body: { status: "ok", ...health() } }) },
    {
      method: "GET",
      path: "/metrics",
      handler: () => ({ body: metrics.render(), contentType: PROMETHEUS_CONTENT_TYPE }),
    },
  ];
}

/** How an rlev service listens: the options its start function passes through to startServer. */
export interface ServiceListenOptions {
  host?: string;
  port?: number;
  token?: string;
  limits?: Partial<HttpLimits>;
  /** Extra fields for GET /health (reward kind, dataset size...). */
  info?: Record<string, unknown>;
  log?: (line: string) => void;
}

/** Starts a service: its own routes plus GET /health (with `health()`) and GET /metrics. */
export function startService(
  name: string,
  opts: ServiceListenOptions,
  metrics: MetricsRegistry,
  routes: Route[],
  health: () => Record<string, unknown>,
): Promise<RunningServer> {
  return startServer({
    name,
    host: opts.host,
    port: opts.port,
    token: opts.token,
    limits: opts.limits,
    metrics,
    log: opts.log,
    routes: [...routes, ...standardRoutes(metrics, health)],
  });
}

/** Installs SIGTERM/SIGINT handlers that drain the server and then exit; returns an uninstaller. */
export function closeOnSignals(server: RunningServer, onClosed?: () => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    process.stderr.write(`rlev: ${signal} received, draining ${server.pending()} request(s)\n`);
    server.close().then(() => onClosed?.());
  };
  process.once("SIGTERM", handler);
  process.once("SIGINT", handler);
  return () => {
    process.off("SIGTERM", handler);
    process.off("SIGINT", handler);
  };
}
