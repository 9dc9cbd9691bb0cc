import { z } from "zod";

/** The LLM-as-judge verifier for free-text answers (over the same endpoint client). */
export const JudgeConfigSchema = z
  .object({
    /** Endpoint of the judge; null: the endpoint under evaluation. */
    endpoint: z.string().url().nullable().default(null),
    /** Judge model; null: no judge (free-text items are then verified by rules only). The paper used a 72B instruct model. */
    model: z.string().min(1).nullable().default(null),
    /** Prompt template with {question}, {reference} and {response}; null: the built-in one. */
    prompt: z.string().min(1).nullable().default(null),
    maxTokens: z.number().int().positive().default(16),
  })
  .strict();

/** OpenAI-compatible endpoint client: `rlev eval --endpoint`, `rlev values predict`, the judge. */
export const ClientConfigSchema = z
  .object({
    /** Requests in flight at once. */
    concurrency: z.number().int().positive().default(8),
    /** Per-request timeout. */
    timeoutMs: z.number().int().positive().default(300_000),
    /** Retries after the first try (errors, 429, 5xx, timeouts, dropped connections). */
    retries: z.number().int().nonnegative().default(6),
    /** Exponential backoff: base · 2^attempt with full jitter, capped; a Retry-After header wins. */
    backoffBaseMs: z.number().int().nonnegative().default(500),
    backoffMaxMs: z.number().int().positive().default(30_000),
    /** "chat" uses /v1/chat/completions, "completions" /v1/completions. */
    api: z.enum(["chat", "completions"]).default("chat"),
    /** Sampling: greedy by default (the paper's evaluation). */
    temperature: z.number().nonnegative().default(0),
    topP: z.number().gt(0).lte(1).default(1),
    maxTokens: z.number().int().positive().default(1024),
    /** Samples per item (pass@k needs n > 1 with temperature > 0). */
    n: z.number().int().positive().default(1),
    seed: z.number().int().nullable().default(null),
    systemPrompt: z.string().nullable().default(null),
    /** Template of the user message; {prompt} is replaced by the item prompt. */
    promptTemplate: z.string().nullable().default(null),
    judge: JudgeConfigSchema.prefault({}),
  })
  .strict();
export type ClientConfig = z.infer<typeof ClientConfigSchema>;
export type JudgeConfig = z.infer<typeof JudgeConfigSchema>;
