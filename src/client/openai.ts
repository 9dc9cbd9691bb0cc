import { RlevError } from "../util/errors.js";

/**
 * A client for OpenAI-compatible endpoints (vLLM, SGLang, llama.cpp server, Ollama, `rlev
 * serve policy`): per-request timeout, retries with exponential backoff and full jitter on
 * transport errors, 408/409/425/429 and 5xx, honouring Retry-After. Uses Node's fetch.
 */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface SamplingParams {
  temperature: number;
  top_p: number;
  max_tokens: number;
  seed?: number;
  stop?: string[];
  logprobs?: boolean;
}

export type GenerationRequest =
  | { api: "chat"; model: string; messages: ChatMessage[]; params: SamplingParams }
  | { api: "completions"; model: string; prompt: string; params: SamplingParams };

export interface Generation {
  text: string;
  finishReason: string | null;
  /** Completion tokens as the server counted them (null when it reports no usage). */
  completionTokens: number | null;
  promptTokens: number | null;
  /** Per-token log-probs when requested and offered. */
  logprobs?: number[];
}

export interface RetryPolicy {
  timeoutMs: number;
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export interface ClientOptions extends RetryPolicy {
  baseUrl: string;
  apiKey?: string;
  /** Called before each retry (for logs and progress). */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /** Random source for jitter (tests pass a seeded one). */
  random?: () => number;
}

/** A request the endpoint refused for good (4xx other than the retryable ones) or after all retries. */
export class EndpointError extends RlevError {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(message, 1);
    this.name = "EndpointError";
  }
}

const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

/** Milliseconds from a Retry-After header (seconds or an HTTP date), or retry-after-ms; null if absent. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headers.get("retry-after");
  if (ra === null) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(ra)) return Math.max(0, Number(ra) * 1000);
  const at = Date.parse(ra);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Delay before retry `attempt` (0-based): full jitter over min(max, base·2^attempt), or the server's wish. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  serverMs: number | null,
) {
  if (serverMs !== null) return Math.min(serverMs, policy.backoffMaxMs * 4);
  const cap = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** attempt);
  return Math.round(random() * cap);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    const code = cause && typeof cause === "object" && "code" in cause ? ` (${String(cause.code)})` : "";
    if (err.name === "TimeoutError") return "timed out";
    return `${err.message}${code}`;
  }
  return String(err);
}

export class OpenAIClient {
  readonly baseUrl: string;
  private readonly random: () => number;

  constructor(readonly opts: ClientOptions) {
    // Accept both http://host:port and http://host:port/v1.
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
    this.random = opts.random ?? Math.random;
  }

  /**
   * POST or GET a JSON endpoint with timeout and retries; `parse` turns the reply into the
   * result and may throw a retryable EndpointError for a malformed one.
   */
  async requestJson<T = unknown>(
    path: string,
    body: unknown | undefined,
    signal?: AbortSignal,
    parse: (json: unknown) => T = (json) => json as T,
  ): Promise<T> {
    const { retries } = this.opts;
    let lastReason = "";
    for (let attempt = 0; ; attempt++) {
      let serverDelay: number | null = null;
      let status: number | null = null;
      try {
        const timeout = AbortSignal.timeout(this.opts.timeoutMs);
        const res = await fetch(`${this.baseUrl}${path}`, {
          method: body === undefined ? "GET" : "POST",
          headers: {
            "content-type": "application/json",
            ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        status = res.status;
        const text = await res.text();
        if (res.ok) {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            // A truncated body (connection cut mid-reply) is a transport error: retry.
            throw new EndpointError(`${path}: reply is not valid JSON`, res.status, true);
          }
          return parse(json);
        }
        const message = errorMessageOf(text) ?? res.statusText;
        if (!RETRYABLE_STATUS.has(res.status))
          throw new EndpointError(`${path}: HTTP ${res.status}: ${message}`, res.status, false);
        serverDelay = retryAfterMs(res.headers);
        lastReason = `HTTP ${res.status}: ${message}`;
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        if (err instanceof EndpointError && !err.retryable) throw err;
        if (!(err instanceof EndpointError)) lastReason = describeError(err);
        else lastReason = err.message;
      }
      if (attempt >= retries)
        throw new EndpointError(
          `${this.baseUrl}${path}: failed after ${retries + 1} tries: ${lastReason}`,
          status,
          true,
        );
      const delayMs = backoffDelay(attempt, this.opts, this.random, serverDelay);
      this.opts.onRetry?.({ attempt: attempt + 1, delayMs, reason: lastReason });
      await sleep(delayMs, signal);
    }
  }

  async generate(req: GenerationRequest, signal?: AbortSignal): Promise<Generation> {
    const p = req.params;
    const common = {
      model: req.model,
      temperature: p.temperature,
      top_p: p.top_p,
      max_tokens: p.max_tokens,
      ...(p.seed !== undefined ? { seed: p.seed } : {}),
      ...(p.stop ? { stop: p.stop } : {}),
      n: 1,
      stream: false,
    };
    if (req.api === "chat") {
      return this.requestJson(
        "/v1/chat/completions",
        { ...common, messages: req.messages, ...(p.logprobs ? { logprobs: true } : {}) },
        signal,
        parseChat,
      );
    }
    return this.requestJson(
      "/v1/completions",
      { ...common, prompt: req.prompt, ...(p.logprobs ? { logprobs: 1 } : {}) },
      signal,
      parseCompletion,
    );
  }

  async models(signal?: AbortSignal): Promise<string[]> {
    return this.requestJson("/v1/models", undefined, signal, (json) => {
      const data = (json as { data?: Array<{ id?: unknown }> })?.data;
      if (!Array.isArray(data)) throw malformed("no data list");
      return data.map((m) => String(m.id));
    });
  }
}

function errorMessageOf(text: string): string | null {
  try {
    const j = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof j.error === "string") return j.error;
    if (j.error && typeof j.error.message === "string") return j.error.message;
    if (typeof j.message === "string") return j.message;
  } catch {
    // not JSON
  }
  return text ? text.slice(0, 200) : null;
}

interface Usage {
  usage?: { completion_tokens?: number; prompt_tokens?: number };
}

function malformed(what: string): EndpointError {
  // A 200 with the wrong shape is usually a proxy or a half-written reply: worth a retry.
  return new EndpointError(`malformed reply: ${what}`, 200, true);
}

export function parseChat(body: unknown): Generation {
  const b = body as Usage & {
    choices?: Array<{
      message?: { content?: unknown };
      finish_reason?: unknown;
      logprobs?: { content?: Array<{ logprob?: unknown }> } | null;
    }>;
  };
  const choice = b?.choices?.[0];
  if (!choice?.message) throw malformed("no choices[0].message");
  const content = choice.message.content;
  if (typeof content !== "string" && content !== null)
    throw malformed("choices[0].message.content is not a string");
  const lp = choice.logprobs?.content?.map((t) => Number(t.logprob));
  return {
    text: content ?? "",
    finishReason: typeof choice.finish_reason === "string" ? choice.finish_reason : null,
    completionTokens: b.usage?.completion_tokens ?? null,
    promptTokens: b.usage?.prompt_tokens ?? null,
    ...(lp ? { logprobs: lp } : {}),
  };
}

export function parseCompletion(body: unknown): Generation {
  const b = body as Usage & {
    choices?: Array<{
      text?: unknown;
      finish_reason?: unknown;
      logprobs?: { token_logprobs?: unknown[] } | null;
    }>;
  };
  const choice = b?.choices?.[0];
  if (!choice || typeof choice.text !== "string") throw malformed("no choices[0].text");
  const lp = choice.logprobs?.token_logprobs?.map(Number);
  return {
    text: choice.text,
    finishReason: typeof choice.finish_reason === "string" ? choice.finish_reason : null,
    completionTokens: b.usage?.completion_tokens ?? null,
    promptTokens: b.usage?.prompt_tokens ?? null,
    ...(lp ? { logprobs: lp } : {}),
  };
}
