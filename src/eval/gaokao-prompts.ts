import { readFile } from "node:fs/promises";
import { z } from "zod";
import { type GenerationJob, jobsFor, type PromptSettings } from "../client/generate.js";
import type { Item } from "../data/item.js";
import { errorMessage, InputError, UsageError } from "../util/errors.js";

/**
 * GAOKAO-Bench's own prompts (`Bench/Obj_Prompt.json`, `Bench/Sub_Prompt.json`): one instruction
 * per keyword (upstream file), asking for the `【解析】 … <eoe>` / `【答案】 … <eoa>` format.
 * Sent as the benchmark sends them (`Bench/bench_function.py`): to a chat model the instruction
 * is the system message and the question, stripped, plus a newline, the user message; to a
 * completions model the two are concatenated. Scores are then comparable with published ones.
 */
export const ENDPOINT_PROMPT_STYLES = ["plain", "gaokao-bench"] as const;
export type EndpointPromptStyle = (typeof ENDPOINT_PROMPT_STYLES)[number];

export interface BenchmarkPrompt {
  keyword: string;
  type: string;
  prefixPrompt: string;
}

const PromptFileSchema = z.object({
  examples: z.array(
    z
      .object({
        type: z.string(),
        keyword: z.string().min(1),
        // English error correction has two (upstream asks in two steps); the first is sent.
        prefix_prompt: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
      })
      .loose(),
  ),
});

/** Reads prompt files into keyword → prompt; a keyword given twice is an error. */
export async function readGaokaoPrompts(files: readonly string[]): Promise<Map<string, BenchmarkPrompt>> {
  const out = new Map<string, BenchmarkPrompt>();
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, "utf8"));
    } catch (err) {
      throw new InputError({ file }, `cannot read a prompt file (${errorMessage(err)})`);
    }
    const parsed = PromptFileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError({ file, field: issue.path.map(String).join(".") || undefined }, issue.message);
    }
    parsed.data.examples.forEach((e, i) => {
      if (out.has(e.keyword))
        throw new InputError(
          { file, field: `examples.${i}.keyword` },
          `keyword "${e.keyword}" has a prompt already`,
        );
      const prefixPrompt = Array.isArray(e.prefix_prompt) ? e.prefix_prompt[0] : e.prefix_prompt;
      out.set(e.keyword, { keyword: e.keyword, type: e.type, prefixPrompt });
    });
  }
  return out;
}

function keywordOf(item: Item): string | undefined {
  const k = item.meta?.keyword;
  return typeof k === "string" ? k : undefined;
}

/**
 * Requests in the benchmark's format, one per (item, sample), in item order. Every item needs a
 * keyword (`meta.keyword`, as `rlev import gaokao` writes it) with a prompt; otherwise a
 * UsageError names the keywords without one.
 */
export function gaokaoBenchJobs(
  items: readonly Item[],
  n: number,
  settings: PromptSettings,
  prompts: ReadonlyMap<string, BenchmarkPrompt>,
): GenerationJob[] {
  const missing = new Set<string>();
  for (const item of items) {
    const k = keywordOf(item);
    if (k === undefined || !prompts.has(k)) missing.add(k ?? `(no meta.keyword: ${item.id})`);
  }
  if (missing.size > 0)
    throw new UsageError(
      `--prompt-style gaokao-bench: no benchmark prompt for ${[...missing].slice(0, 5).join(", ")}${missing.size > 5 ? ` and ${missing.size - 5} more` : ""} (give the prompt files with --prompt-file)`,
    );
  return items.flatMap((item) => {
    const prompt = prompts.get(keywordOf(item)!)!;
    return jobsFor([{ id: item.id, prompt: `${item.prompt.trim()}\n` }], n, {
      ...settings,
      systemPrompt: settings.api === "chat" ? prompt.prefixPrompt : null,
      promptTemplate: settings.api === "chat" ? null : `${prompt.prefixPrompt}{prompt}`,
    });
  });
}
