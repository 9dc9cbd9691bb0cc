import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Admission, DEFAULT_LIMITS, type HttpLimits } from "./admission.js";
import { readJsonBody } from "./body.js";
import { errorBody, HttpError } from "./http-error.js";
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from "./metrics.js";
import { type JsonRequest, type Route, Router } from "./routes.js";

export { DEFAULT_LIMITS, type HttpLimits } from "./admission.js";
export { HttpError } from "./http-error.js";
export { bearerMatches, type Handler, type JsonRequest, type Reply, type Route } from "./routes.js";

/**
 * The HTTP layer shared by the rlev servers, on node:http directly (measured ~1.7x the
 * throughput of hono + @hono/node-server on loopback, see docs/performance.md): JSON bodies with a
 * size limit (body.ts), a bounded admission queue (503 when full), a per-request timeout and a
 * graceful shutdown that drains the requests in flight (admission.ts), routes with an optional
 * bearer token compared in constant time (routes.ts), and Prometheus metrics. Clients never see a
 * stack trace.
 */
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

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export function startServer(opts: ServerOptions): Promise<RunningServer> {
  const limits: HttpLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const host = opts.host ?? "127.0.0.1";
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const metrics = opts.metrics ?? new MetricsRegistry();
  const router = new Router(opts.routes, opts.token);

  const requests = metrics.counter("rlev_http_requests_total", "HTTP requests answered, by path and status");
  const latency = metrics.histogram("rlev_http_request_seconds", "HTTP request latency", LATENCY_BUCKETS);
  const admission = new Admission(limits, metrics);
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
    if (admission.draining()) headers.connection = "close";
    res.writeHead(status, headers);
    res.end(body);
  };

  const sendError = (res: ServerResponse, err: HttpError) =>
    send(res, err.status, errorBody(err.message, err.type), "application/json", err.headers);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const method = req.method ?? "GET";
    res.once("finish", () => {
      const routeLabel = router.label(path);
      requests.inc({ path: routeLabel, code: String(res.statusCode) });
      latency.observe(Number(process.hrtime.bigint() - started) / 1e9, { path: routeLabel });
    });

    const route = router.resolve(method, path, req.headers.authorization);
    const declared = Number(req.headers["content-length"] ?? 0);
    const refusal = route instanceof HttpError ? route : admission.refusal(declared);
    if (refusal !== null) {
      req.resume();
      return sendError(res, refusal);
    }
    const admitted = admission.admit(declared);
    const ac = admitted.controller;
    const onClose = () => {
      if (!res.writableEnded) ac.abort(new HttpError(499, "client closed the connection"));
    };
    res.once("close", onClose);
    try {
      let body: unknown;
      if (method === "POST") body = await readJsonBody(req, ac.signal, limits.maxBodyBytes);
      else req.resume();
      const jsonReq: JsonRequest = {
        method,
        path,
        query: new URLSearchParams(q < 0 ? "" : rawUrl.slice(q + 1)),
        headers: req.headers,
        body,
        signal: ac.signal,
      };
      const work = Promise.resolve((route as Route).handler(jsonReq, res));
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
      res.off("close", onClose);
      admitted.release();
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
        pending: () => admission.pending(),
        close() {
          closing ??= (async () => {
            admission.startDraining();
            const closed = new Promise<void>((r) => server.close(() => r()));
            server.closeIdleConnections();
            await admission.drain();
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
