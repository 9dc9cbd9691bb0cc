import type { Item } from "../data/item.js";
import { type CacheRecord, cacheKey, type ResponseCache } from "./cache.js";
import type { ChatMessage, Generation, GenerationRequest, OpenAIClient, SamplingParams } from "./openai.js";

/** How prompts are turned into requests (from the client config section). */
export interface PromptSettings {
  api: "chat" | "completions";
  model: string;
  systemPrompt: string | null;
  /** `{prompt}` is replaced by the item's prompt. */
  promptTemplate: string | null;
  temperature: number;
  topP: number;
  maxTokens: number;
  /** Sample i uses seed + i; null sends no seed. */
  seed: number | null;
  logprobs?: boolean;
}

export function applyTemplate(template: string | null, prompt: string): string {
  return template ? template.split("{prompt}").join(prompt) : prompt;
}

export function buildRequest(prompt: string, sample: number, s: PromptSettings): GenerationRequest {
  const params: SamplingParams = {
    temperature: s.temperature,
    top_p: s.topP,
    max_tokens: s.maxTokens,
    ...(s.seed !== null ? { seed: s.seed + sample } : {}),
    ...(s.logprobs ? { logprobs: true } : {}),
  };
  const user = applyTemplate(s.promptTemplate, prompt);
  if (s.api === "chat") {
    const messages: ChatMessage[] = [];
    if (s.systemPrompt) messages.push({ role: "system", content: s.systemPrompt });
    messages.push({ role: "user", content: user });
    return { api: "chat", model: s.model, messages, params };
  }
  return {
    api: "completions",
    model: s.model,
    prompt: s.systemPrompt ? `${s.systemPrompt}\n\n${user}` : user,
    params,
  };
}

export interface GenerationJob {
  itemId: string;
  sample: number;
  request: GenerationRequest;
}

/** One job per (item, sample), in item order. */
export function jobsFor(
  items: readonly Pick<Item, "id" | "prompt">[],
  n: number,
  s: PromptSettings,
): GenerationJob[] {
  const jobs: GenerationJob[] = [];
  for (const item of items)
    for (let k = 0; k < n; k++)
      jobs.push({ itemId: item.id, sample: k, request: buildRequest(item.prompt, k, s) });
  return jobs;
}

export interface GenerateAllOptions {
  client: OpenAIClient;
  cache: ResponseCache;
  concurrency: number;
  signal?: AbortSignal;
  /** Called after every finished job (cached or fresh). */
  onProgress?: (p: { done: number; total: number; cached: number; fresh: number }) => void;
}

/**
 * Gets a reply for every job, from the cache or the endpoint, with at most `concurrency`
 * requests in flight; each fresh reply is durable in the cache before it counts. On the
 * first failure no new request starts, the ones in flight finish (and are cached), and the
 * error is thrown: a rerun resumes from the cache.
 */
export async function generateAll(
  jobs: readonly GenerationJob[],
  opts: GenerateAllOptions,
): Promise<Generation[]> {
  const results: Generation[] = new Array(jobs.length);
  const todo: number[] = [];
  let cached = 0;
  for (let i = 0; i < jobs.length; i++) {
    const hit = opts.cache.get(cacheKey(jobs[i].request, jobs[i].sample));
    if (hit) {
      results[i] = hit.generation;
      cached++;
    } else todo.push(i);
  }
  let fresh = 0;
  const report = () => opts.onProgress?.({ done: cached + fresh, total: jobs.length, cached, fresh });
  report();
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < todo.length) {
      const i = todo[next++];
      const job = jobs[i];
      try {
        const generation = await opts.client.generate(job.request, opts.signal);
        const rec: CacheRecord = {
          key: cacheKey(job.request, job.sample),
          itemId: job.itemId,
          sample: job.sample,
          model: job.request.model,
          generation,
          at: new Date().toISOString(),
        };
        await opts.cache.put(rec);
        results[i] = generation;
        fresh++;
        report();
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, todo.length)) }, worker));
  await opts.cache.flush();
  if (failure !== undefined) throw failure;
  return results;
}
