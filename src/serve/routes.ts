import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "./http-error.js";

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

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

/** Constant-time check of an Authorization header against the token (hashing equalizes lengths). */
export function bearerMatches(header: string | undefined, tokenDigest: Buffer): boolean {
  const given = header?.startsWith("Bearer ") ? header.slice(7).trim() : "";
  return timingSafeEqual(digest(given), tokenDigest);
}

/** The route table, with the bearer token that guards the routes that need it. */
export class Router {
  private readonly routes = new Map<string, Route>();
  private readonly paths = new Set<string>();
  private readonly tokenDigest: Buffer | undefined;

  constructor(routes: Route[], token?: string) {
    for (const r of routes) {
      this.routes.set(`${r.method} ${r.path}`, r);
      this.paths.add(r.path);
    }
    this.tokenDigest = token ? digest(token) : undefined;
  }

  /** The route for a request, or the error that answers it: 404, 405, or 401 without the token. */
  resolve(method: string, path: string, authorization: string | undefined): Route | HttpError {
    const route = this.routes.get(`${method} ${path}`);
    if (!route) {
      const status = this.paths.has(path) ? 405 : 404;
      return new HttpError(
        status,
        status === 405 ? `method ${method} not allowed on ${path}` : `no route ${path}`,
      );
    }
    if (this.tokenDigest && route.auth !== false && !bearerMatches(authorization, this.tokenDigest))
      return new HttpError(401, "missing or wrong bearer token", "authentication_error", {
        "www-authenticate": "Bearer",
      });
    return route;
  }

  /** The path as a metrics label: unknown paths share one label, so scanners cannot grow the registry. */
  label(path: string): string {
    return this.paths.has(path) ? path : "other";
  }
}
