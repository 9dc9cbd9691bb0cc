import type { ClientConfig } from "../config/client.js";
import type { Item } from "../data/item.js";
import { writeItems } from "../data/items-io.js";
import { UsageError } from "../util/errors.js";
import { throttledProgress } from "../util/progress.js";
import {
  type PredictionOutcome,
  type PredictionReport,
  parseScore,
  predictionReport,
  VALUE_PREDICTION_PROMPT,
  valuePredictionPrompt,
  withPredictedValue,
} from "../values/predict.js";
import { ResponseCache } from "./cache.js";
import { type GenerationJob, generateAll } from "./generate.js";
import { OpenAIClient } from "./openai.js";

export interface ValuePredictionOptions {
  endpoint: string;
  model: string;
  apiKey?: string;
  items: readonly Item[];
  output: string;
  /** The exam total the model scores against; null: each item's own examTotal. */
  totalScore: number | null;
  client: ClientConfig;
  /** Reply tokens allowed (the answer is one number; thinking models need more). */
  maxTokens: number;
  /** What to do with an item whose reply holds no valid score: leave it out, or keep its old value. */
  onInvalid: "skip" | "keep";
  template?: string;
  cachePath: string;
  progress?: boolean;
}

export interface ValuePredictionResult extends PredictionReport {
  written: number;
  output: string;
}

/** `rlev values predict`: asks the endpoint for each item's score and writes predicted values. */
export async function runValuePrediction(opts: ValuePredictionOptions): Promise<ValuePredictionResult> {
  if (opts.totalScore !== null && !(opts.totalScore > 0)) throw new UsageError("--total-score must be > 0");
  const client = new OpenAIClient({
    baseUrl: opts.endpoint,
    apiKey: opts.apiKey,
    timeoutMs: opts.client.timeoutMs,
    retries: opts.client.retries,
    backoffBaseMs: opts.client.backoffBaseMs,
    backoffMaxMs: opts.client.backoffMaxMs,
  });
  const totals = opts.items.map((it) => opts.totalScore ?? it.examTotal);
  const jobs: GenerationJob[] = opts.items.map((item, i) => ({
    itemId: item.id,
    sample: 0,
    request: {
      api: "chat",
      model: opts.model,
      messages: [
        {
          role: "user",
          content: valuePredictionPrompt(item.prompt, totals[i], opts.template ?? VALUE_PREDICTION_PROMPT),
        },
      ],
      // Greedy: the value of an item should not depend on a sampling draw.
      params: { temperature: 0, top_p: 1, max_tokens: opts.maxTokens },
    },
  }));
  const cache = await ResponseCache.open(opts.cachePath);
  const progress = throttledProgress("values predict", jobs.length, opts.progress ?? false);
  let replies: Awaited<ReturnType<typeof generateAll>>;
  try {
    replies = await generateAll(jobs, {
      client,
      cache,
      concurrency: opts.client.concurrency,
      onProgress: (p) => progress.update(p.done, { cached: String(p.cached) }),
    });
  } finally {
    progress.stop();
    await cache.close();
  }
  const outcomes: PredictionOutcome[] = opts.items.map((item, i) => ({
    item,
    reply: replies[i].text,
    parsed: parseScore(replies[i].text, totals[i]),
    total: totals[i],
  }));
  const out: Item[] = [];
  for (const o of outcomes) {
    if (o.parsed.ok) out.push(withPredictedValue(o.item, o.parsed.score, o.total, opts.model));
    else if (opts.onInvalid === "keep")
      out.push({
        ...o.item,
        meta: { ...o.item.meta, valuePredictionError: o.parsed.reason, valuePredictionReply: o.reply },
      });
  }
  const written = await writeItems(opts.output, out);
  return { ...predictionReport(outcomes), written, output: opts.output };
}
