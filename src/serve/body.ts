import type { IncomingMessage } from "node:http";
import { HttpError } from "./http-error.js";

/**
 * Reads a request body of at most `maxBodyBytes` (413 past it, the rest drained so that the reply
 * reaches the client); rejects with 503 when `signal` aborts first.
 */
export function readBody(req: IncomingMessage, signal: AbortSignal, maxBodyBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
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
      if (size > maxBodyBytes) return fail(new HttpError(413, `request body exceeds ${maxBodyBytes} bytes`));
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.on("error", () => reject(new HttpError(400, "request body could not be read")));
    signal.addEventListener("abort", () => reject(new HttpError(503, "request timed out")), { once: true });
  });
}

/** The parsed JSON body of a request (undefined when empty); 400 when it is not JSON. */
export async function readJsonBody(
  req: IncomingMessage,
  signal: AbortSignal,
  maxBodyBytes: number,
): Promise<unknown> {
  const raw = await readBody(req, signal, maxBodyBytes);
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new HttpError(400, "request body is not valid JSON");
  }
}
