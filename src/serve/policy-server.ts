import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Policy, SampleOptions, SampleResult } from "../model/policy.js";
import type { Tokenizer } from "../model/tokenizer.js";
import { Rng } from "../util/rng.js";
import {
  HttpError,
  type JsonRequest,
  type RunningServer,
  type ServiceListenOptions,
  startService,
} from "./http.js";
import { MetricsRegistry } from "./metrics.js";

/**
 * The embedded policy behind the OpenAI API: `/v1/completions`, `/v1/chat/completions` (both
 * with logprobs) and `/v1/models`, so that any OpenAI client — `rlev eval --endpoint` among
 * them — can sample from a checkpoint. Requests with the same sampling settings are batched
 * into one decode; an explicit `seed` gets a decode of its own, so that it is reproducible.
 */
export interface PolicyServiceOptions {
  policy: Pick<Policy, "sample">;
  tokenizer: Tokenizer;
  /** Longest prompt + completion (the model's context length). */
  contextLength: number;
  modelName: string;
  /** Most rows (prompts × n) decoded together. */
  maxBatch: number;
  /** Seed of the server's sampling stream for requests without a seed. */
  seed?: number;
}

export interface PolicyServerOptions extends PolicyServiceOptions, ServiceListenOptions {}

const stopSchema = z.union([z.string(), z.array(z.string()).max(8)]).nullish();
const common = {
  model: z.string().min(1),
  max_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).lte(1).nullish(),
  n: z.number().int().min(1).max(64).nullish(),
  seed: z.number().int().nullish(),
  stop: stopSchema,
  stream: z.literal(false).nullish(),
  user: z.string().nullish(),
};

const CompletionRequestSchema = z.object({
  ...common,
  prompt: z.union([z.string(), z.array(z.string()).min(1).max(256)]),
  logprobs: z.number().int().min(0).max(5).nullish(),
  echo: z.literal(false).nullish(),
});

const ChatRequestSchema = z.object({
  ...common,
  max_completion_tokens: z.number().int().positive().nullish(),
  messages: z
    .array(
      z.object({
        role: z.enum(["system", "user", "assistant", "developer"]),
        content: z.union([
          z.string(),
          z.array(z.object({ type: z.literal("text"), text: z.string() })).min(1),
        ]),
      }),
    )
    .min(1),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
});

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue.path.length > 0 ? `"${issue.path.join(".")}": ` : "";
  throw new HttpError(400, `${where}${issue.message}`);
}

interface Row {
  prompt: number[];
  maxNewTokens: number;
}

interface Pending {
  rows: Row[];
  options: Omit<SampleOptions, "maxNewTokens" | "seed"> & { seed: number | null };
  resolve: (r: SampleResult) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal;
}

/** One decode at a time; compatible requests waiting meanwhile are merged into the next one. */
class Batcher {
  private readonly queue: Pending[] = [];
  private running = false;
  private readonly rng: Rng;

  constructor(
    private readonly policy: Pick<Policy, "sample">,
    private readonly maxBatch: number,
    seed: number,
    private readonly onBatch: (rows: number) => void,
  ) {
    this.rng = new Rng(seed);
  }

  submit(p: Omit<Pending, "resolve" | "reject">): Promise<SampleResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...p, resolve, reject });
      this.pump();
    });
  }

  private compatible(a: Pending, b: Pending): boolean {
    // Greedy decoding does not depend on the seed: all greedy requests share a decode.
    if (a.options.temperature === 0 && b.options.temperature === 0) return true;
    return (
      a.options.seed === null &&
      b.options.seed === null &&
      a.options.temperature === b.options.temperature &&
      a.options.topP === b.options.topP
    );
  }

  private pump(): void {
    if (this.running) return;
    // Requests whose client went away are dropped before they cost a decode.
    while (this.queue.length > 0 && this.queue[0].signal.aborted) {
      const gone = this.queue.shift()!;
      gone.reject(gone.signal.reason);
    }
    const head = this.queue.shift();
    if (!head) return;
    const batch = [head];
    let rows = head.rows.length;
    for (let i = 0; i < this.queue.length && rows < this.maxBatch; ) {
      const p = this.queue[i];
      if (!p.signal.aborted && this.compatible(head, p) && rows + p.rows.length <= this.maxBatch) {
        batch.push(p);
        rows += p.rows.length;
        this.queue.splice(i, 1);
      } else i++;
    }
    this.running = true;
    this.run(batch).finally(() => {
      this.running = false;
      this.pump();
    });
  }

  private async run(batch: Pending[]): Promise<void> {
    const rows = batch.flatMap((p) => p.rows);
    const maxNewTokens = Math.max(...rows.map((r) => r.maxNewTokens));
    const head = batch[0].options;
    const seed = head.seed ?? this.rng.int(2 ** 31);
    this.onBatch(rows.length);
    try {
      const result = await this.policy.sample(
        rows.map((r) => r.prompt),
        { maxNewTokens, temperature: head.temperature, topP: head.topP, seed },
      );
      let at = 0;
      for (const p of batch) {
        const n = p.rows.length;
        const part: SampleResult = {
          tokens: [],
          logprobs: [],
          eosProbs: [],
          finished: [],
        };
        for (let i = 0; i < n; i++) {
          // Rows decoded together run to the longest budget; cut each to its own.
          const k = at + i;
          const cap = p.rows[i].maxNewTokens;
          const toks = result.tokens[k];
          const cut = toks.length > cap;
          part.tokens.push(cut ? toks.slice(0, cap) : toks);
          part.logprobs.push(cut ? result.logprobs[k].slice(0, cap) : result.logprobs[k]);
          part.eosProbs.push(cut ? result.eosProbs[k].slice(0, cap) : result.eosProbs[k]);
          part.finished.push(cut ? false : result.finished[k]);
        }
        at += n;
        p.resolve(part);
      }
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}

interface Choice {
  text: string;
  finishReason: "stop" | "length";
  tokens: string[];
  logprobs: number[];
  completionTokens: number;
}

/** The request handlers of the policy server, usable without HTTP. */
export class PolicyService {
  private readonly batcher: Batcher;
  readonly created = Math.floor(Date.now() / 1000);

  constructor(
    private readonly opts: PolicyServiceOptions,
    readonly metrics = new MetricsRegistry(),
  ) {
    const rows = metrics.histogram(
      "rlev_policy_batch_rows",
      "rows per decode",
      [1, 2, 4, 8, 16, 32, 64, 128, 256],
    );
    this.batcher = new Batcher(opts.policy, opts.maxBatch, opts.seed ?? 0, (n) => rows.observe(n));
  }

  models() {
    return {
      object: "list",
      data: [{ id: this.opts.modelName, object: "model", created: this.created, owned_by: "rlev" }],
    };
  }

  private checkModel(model: string): void {
    if (model !== this.opts.modelName)
      throw new HttpError(
        404,
        `the model "${model}" does not exist (this server serves "${this.opts.modelName}")`,
      );
  }

  private encode(text: string, field: string): number[] {
    let ids: number[];
    try {
      ids = this.opts.tokenizer.encode(text);
    } catch (err) {
      throw new HttpError(400, `"${field}": ${(err as Error).message}`);
    }
    if (ids.length === 0) throw new HttpError(400, `"${field}" is empty`);
    if (ids.length >= this.opts.contextLength)
      throw new HttpError(
        400,
        `"${field}" has ${ids.length} tokens; this model's context length is ${this.opts.contextLength}`,
      );
    return ids;
  }

  private async generate(
    prompts: number[][],
    n: number,
    maxTokens: number,
    temperature: number,
    topP: number,
    seed: number | null,
    stop: string[],
    signal: AbortSignal,
  ): Promise<Choice[][]> {
    const rows: Row[] = [];
    for (const p of prompts)
      for (let k = 0; k < n; k++)
        rows.push({
          prompt: p,
          maxNewTokens: Math.max(1, Math.min(maxTokens, this.opts.contextLength - p.length)),
        });
    if (rows.length > this.opts.maxBatch)
      throw new HttpError(
        400,
        `prompts × n = ${rows.length} exceeds the server's batch limit ${this.opts.maxBatch}`,
      );
    const result = await this.batcher.submit({ rows, options: { temperature, topP, seed }, signal });
    const tok = this.opts.tokenizer;
    const out: Choice[][] = [];
    for (let i = 0; i < prompts.length; i++) {
      const choices: Choice[] = [];
      for (let k = 0; k < n; k++) {
        const r = i * n + k;
        const ids = result.tokens[r];
        const hasEos = ids.length > 0 && ids[ids.length - 1] === tok.eosId;
        const body = hasEos ? ids.slice(0, -1) : ids;
        let pieces = body.map((id) => tok.decode([id]));
        let lps = Array.from(result.logprobs[r].subarray(0, body.length));
        let text = pieces.join("");
        let finishReason: Choice["finishReason"] = result.finished[r] || hasEos ? "stop" : "length";
        const stopAt = firstStop(text, stop);
        if (stopAt >= 0) {
          text = text.slice(0, stopAt);
          finishReason = "stop";
          // Keep the tokens that lie wholly before the stop sequence.
          let len = 0;
          let keep = 0;
          while (keep < pieces.length && len + pieces[keep].length <= stopAt) len += pieces[keep++].length;
          pieces = pieces.slice(0, keep);
          lps = lps.slice(0, keep);
        }
        choices.push({ text, finishReason, tokens: pieces, logprobs: lps, completionTokens: ids.length });
      }
      out.push(choices);
    }
    return out;
  }

  async completions(body: unknown, signal: AbortSignal) {
    const req = parseBody(CompletionRequestSchema, body);
    this.checkModel(req.model);
    const texts = typeof req.prompt === "string" ? [req.prompt] : req.prompt;
    const prompts = texts.map((t, i) =>
      this.encode(t, typeof req.prompt === "string" ? "prompt" : `prompt.${i}`),
    );
    const n = req.n ?? 1;
    const results = await this.generate(
      prompts,
      n,
      req.max_tokens ?? 16,
      req.temperature ?? 1,
      req.top_p ?? 1,
      req.seed ?? null,
      stopList(req.stop),
      signal,
    );
    const wantLogprobs = req.logprobs !== undefined && req.logprobs !== null;
    let completionTokens = 0;
    const choices = results.flatMap((cs, i) =>
      cs.map((c, k) => {
        completionTokens += c.completionTokens;
        const offsets: number[] = [];
        let off = 0;
        for (const t of c.tokens) {
          offsets.push(off);
          off += t.length;
        }
        return {
          index: i * n + k,
          text: c.text,
          finish_reason: c.finishReason,
          logprobs: wantLogprobs
            ? { tokens: c.tokens, token_logprobs: c.logprobs, top_logprobs: null, text_offset: offsets }
            : null,
        };
      }),
    );
    const promptTokens = prompts.reduce((a, p) => a + p.length, 0);
    return {
      id: `cmpl-${randomBytes(12).toString("hex")}`,
      object: "text_completion",
      created: Math.floor(Date.now() / 1000),
      model: this.opts.modelName,
      choices,
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    };
  }

  async chat(body: unknown, signal: AbortSignal) {
    const req = parseBody(ChatRequestSchema, body);
    this.checkModel(req.model);
    // The embedded model has no chat template: its prompt is the message contents in order.
    const text = req.messages
      .map((m) => (typeof m.content === "string" ? m.content : m.content.map((p) => p.text).join("")))
      .join("");
    const prompt = this.encode(text, "messages");
    const n = req.n ?? 1;
    const [choicesOut] = await this.generate(
      [prompt],
      n,
      req.max_completion_tokens ?? req.max_tokens ?? this.opts.contextLength,
      req.temperature ?? 1,
      req.top_p ?? 1,
      req.seed ?? null,
      stopList(req.stop),
      signal,
    );
    let completionTokens = 0;
    const choices = choicesOut.map((c, k) => {
      completionTokens += c.completionTokens;
      return {
        index: k,
        message: { role: "assistant", content: c.text },
        finish_reason: c.finishReason,
        logprobs: req.logprobs
          ? {
              content: c.tokens.map((t, j) => ({
                token: t,
                logprob: c.logprobs[j],
                bytes: [...Buffer.from(t, "utf8")],
                top_logprobs: [],
              })),
            }
          : null,
      };
    });
    return {
      id: `chatcmpl-${randomBytes(12).toString("hex")}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: this.opts.modelName,
      choices,
      usage: {
        prompt_tokens: prompt.length,
        completion_tokens: completionTokens,
        total_tokens: prompt.length + completionTokens,
      },
    };
  }
}

function stopList(stop: string | string[] | null | undefined): string[] {
  if (stop === undefined || stop === null) return [];
  return (typeof stop === "string" ? [stop] : stop).filter((s) => s.length > 0);
}

function firstStop(text: string, stops: readonly string[]): number {
  let best = -1;
  for (const s of stops) {
    const at = text.indexOf(s);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  return best;
}

/** Starts the OpenAI-compatible policy server. */
export async function startPolicyServer(opts: PolicyServerOptions): Promise<RunningServer> {
  const metrics = new MetricsRegistry();
  const service = new PolicyService(opts, metrics);
  return startService(
    "rlev policy server",
    opts,
    metrics,
    [
      { method: "GET", path: "/v1/models", handler: () => ({ body: service.models() }) },
      {
        method: "POST",
        path: "/v1/completions",
        handler: async (req: JsonRequest) => ({ body: await service.completions(req.body, req.signal) }),
      },
      {
        method: "POST",
        path: "/v1/chat/completions",
        handler: async (req: JsonRequest) => ({ body: await service.chat(req.body, req.signal) }),
      },
    ],
    () => ({ service: "policy", model: opts.modelName, ...opts.info }),
  );
}
