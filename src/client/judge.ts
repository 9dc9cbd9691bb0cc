import type { JudgeGenerate } from "../verify/judge.js";
import { type CacheRecord, cacheKey, type ResponseCache } from "./cache.js";
import type { GenerationRequest, OpenAIClient } from "./openai.js";

export interface EndpointJudgeOptions {
  client: OpenAIClient;
  model: string;
  /** Longest reply (tokens); the judge answers in one word. */
  maxTokens?: number;
  /** Given a cache, a verdict is never asked twice, so an interrupted evaluation resumes without re-judging. */
  cache?: ResponseCache;
}

/**
 * The judge's `generate` over an OpenAI-compatible endpoint (timeouts, retries): a greedy chat
 * request per prompt, read from and written to the response cache.
 */
export function endpointJudge(opts: EndpointJudgeOptions): JudgeGenerate {
  return async (prompt, about) => {
    const request: GenerationRequest = {
      api: "chat",
      model: opts.model,
      messages: [{ role: "user", content: prompt }],
      params: { temperature: 0, top_p: 1, max_tokens: opts.maxTokens ?? 16 },
    };
    const key = cacheKey(request, 0);
    const cached = opts.cache?.get(key)?.generation.text;
    if (cached !== undefined) return cached;
    const generation = await opts.client.generate(request);
    if (opts.cache) {
      const rec: CacheRecord = {
        key,
        itemId: `judge:${about.itemId}`,
        sample: about.sample,
        model: opts.model,
        generation,
        at: new Date().toISOString(),
      };
      await opts.cache.put(rec);
    }
    return generation.text;
  };
}
