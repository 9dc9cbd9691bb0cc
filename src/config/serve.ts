import { z } from "zod";
import { ANSWER_TYPES } from "../data/item.js";

/** Settings of `rlev serve reward` and `rlev serve policy` (the HTTP servers). */
export const ServeConfigSchema = z
  .object({
    /** Loopback by default: exposing a server is an explicit choice. */
    host: z.string().default("127.0.0.1"),
    /** Reward server port (OpenRLHF examples use 5000). */
    rewardPort: z.number().int().min(0).max(65535).default(5000),
    /** Policy (OpenAI-compatible) server port. */
    policyPort: z.number().int().min(0).max(65535).default(8000),
    /** Bearer token required on every route but /health; null: none (the CLI also reads RLEV_SERVE_TOKEN). */
    token: z.string().min(1).nullable().default(null),
    /** Largest request body (bytes); OpenRLHF sends a whole rollout batch in one request. */
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024 * 1024),
    /** Requests admitted at once; more get 503 + Retry-After. */
    maxPending: z.number().int().positive().default(256),
    /** Request bytes held in memory at once over all admitted requests. */
    maxBufferedBytes: z
      .number()
      .int()
      .positive()
      .default(512 * 1024 * 1024),
    /** Per-request limit; below OpenRLHF's 180 s client timeout so that it sees a clean 503 and retries. */
    requestTimeoutMs: z.number().int().positive().default(120_000),
    /** How long SIGTERM/SIGINT wait for requests in flight. */
    drainTimeoutMs: z.number().int().nonnegative().default(30_000),
    /** Trailing special tokens stripped from a response before verification. */
    stripTokens: z
      .array(z.string().min(1))
      .default([
        "<|im_end|>",
        "<|endoftext|>",
        "</s>",
        "<|eot_id|>",
        "<|end_of_text|>",
        "<|end|>",
        "<end_of_turn>",
        "<eos>",
        "<|return|>",
        "<｜end▁of▁sentence｜>",
        "<pad>",
        "<|finetune_right_pad_id|>",
      ]),
    /** Answer type of labels that name none. */
    defaultAnswerType: z.enum(ANSWER_TYPES).default("math"),
    /** Per-item verification time limit; an item past it scores 0 (the pool guards the fast path). */
    verifyTimeoutMs: z.number().int().positive().default(5_000),
    /** Responses longer than this (characters) are verified in the worker pool under verifyTimeoutMs, not in-process. */
    guardAboveChars: z.number().int().nonnegative().default(20_000),
    /** Policy server: requests batched into one decode at most. */
    policyMaxBatch: z.number().int().positive().default(64),
    /** Policy server: the model name reported by /v1/models. */
    modelName: z.string().min(1).default("rlev-embedded"),
  })
  .strict();
export type ServeConfig = z.infer<typeof ServeConfigSchema>;
