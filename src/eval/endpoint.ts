import { join } from "node:path";
import type { Command } from "commander";
import { ResponseCache } from "../client/cache.js";
import { generateAll, jobsFor, type PromptSettings } from "../client/generate.js";
import { endpointJudge } from "../client/judge.js";
import { OpenAIClient } from "../client/openai.js";
import type { ClientConfig } from "../config/client.js";
import { loadConfig } from "../config/index.js";
import type { Item } from "../data/item.js";
import { readAllItems } from "../data/items-io.js";
import { writeJsonl } from "../data/jsonl.js";
import { type GradedRow, groupByItem } from "../metrics/graded.js";
import { type RunSummary, summarizeRun } from "../metrics/summary.js";
import { lengthByValueFromRuns, resultsFromRuns } from "../report/from-metrics.js";
import { writeReport } from "../report/io.js";
import type { ReportData } from "../report/types.js";
import { writeFileAtomic } from "../util/atomic.js";
import { UsageError } from "../util/errors.js";
import { throttledProgress } from "../util/progress.js";
import { makeJudgeVerifier } from "../verify/judge.js";
import type { Verdict, Verifier } from "../verify/types.js";
import {
  ENDPOINT_PROMPT_STYLES,
  type EndpointPromptStyle,
  gaokaoBenchJobs,
  readGaokaoPrompts,
} from "./gaokao-prompts.js";
import {
  type GradingOptions,
  GuardedVerifier,
  gradingInput,
  itemBlankPoints,
  multiSelectRuleOption,
} from "./grading.js";

/**
 * `rlev eval --endpoint URL --model NAME --data FILE`: sample every item from an
 * OpenAI-compatible endpoint (bounded concurrency, retries, a resumable response cache), verify
 * the answers (rules; an LLM judge for free text when configured), and write graded.jsonl,
 * metrics.json and report.html. Rerunning after an interruption asks only for what is missing.
 */
export interface EndpointEvalOptions {
  endpoint: string;
  model: string;
  data: string;
  out: string;
  client: ClientConfig;
  apiKey?: string;
  /** Only items of this split (default: all items of the file). */
  split?: string;
  limit?: number;
  /** Default: <out>/responses.cache.jsonl. */
  cachePath?: string;
  /** Bootstrap resamples for the CIs (0: none). */
  bootstrap?: number;
  progress?: boolean;
  command?: string;
  /** "gaokao-bench": the benchmark's own prompt per keyword (from `promptFiles`), as it sends them. */
  promptStyle?: EndpointPromptStyle;
  /** GAOKAO-Bench's Obj_Prompt.json / Sub_Prompt.json (with promptStyle "gaokao-bench"). */
  promptFiles?: string[];
  /** Grading options, as `rlev grade` takes them (the same verifier input, eval/grading.ts). */
  grading?: GradingOptions;
  /** Verifier worker threads (default: CPUs, at most 8). */
  verifyThreads?: number;
}

/** One graded response: GradedRow (metrics/) plus what a reader needs to audit it. */
export interface EndpointGradedRow extends GradedRow {
  sample: number;
  pred: string | null;
  reason: string;
  verifier: string;
  finishReason: string | null;
  /** "usage" when the server counted completion tokens, else "chars/4" (an estimate). */
  lengthSource: "usage" | "chars/4";
  response: string;
}

export interface EndpointEvalResult {
  summary: RunSummary;
  rows: number;
  reasons: Record<string, number>;
  files: { graded: string; metrics: string; report: string; cache: string };
  fromCache: number;
}

function selectItems(items: Item[], split: string | undefined, limit: number | undefined): Item[] {
  let out = split ? items.filter((i) => i.split === split) : items;
  if (limit !== undefined) out = out.slice(0, limit);
  if (out.length === 0) throw new UsageError(`no items to evaluate${split ? ` in split "${split}"` : ""}`);
  return out;
}

export async function runEndpointEval(opts: EndpointEvalOptions): Promise<EndpointEvalResult> {
  const started = Date.now();
  const c = opts.client;
  const items = selectItems(await readAllItems(opts.data), opts.split, opts.limit);
  const settings: PromptSettings = {
    api: c.api,
    model: opts.model,
    systemPrompt: c.systemPrompt,
    promptTemplate: c.promptTemplate,
    temperature: c.temperature,
    topP: c.topP,
    maxTokens: c.maxTokens,
    seed: c.seed,
  };
  if (c.n > 1 && c.temperature === 0)
    process.stderr.write("rlev: note: n > 1 with temperature 0 asks for the same greedy answer n times\n");
  const clientOf = (baseUrl: string) =>
    new OpenAIClient({
      baseUrl,
      apiKey: opts.apiKey,
      timeoutMs: c.timeoutMs,
      retries: c.retries,
      backoffBaseMs: c.backoffBaseMs,
      backoffMaxMs: c.backoffMaxMs,
    });
  const client = clientOf(opts.endpoint);
  const style = opts.promptStyle ?? "plain";
  if (style === "gaokao-bench" && !opts.promptFiles?.length)
    throw new UsageError(
      "--prompt-style gaokao-bench needs --prompt-file (GAOKAO-Bench's Obj_Prompt.json, Sub_Prompt.json)",
    );
  const jobs =
    style === "gaokao-bench"
      ? gaokaoBenchJobs(items, c.n, settings, await readGaokaoPrompts(opts.promptFiles ?? []))
      : jobsFor(items, c.n, settings);
  const cachePath = opts.cachePath ?? join(opts.out, "responses.cache.jsonl");
  const cache = await ResponseCache.open(cachePath);
  const rows: EndpointGradedRow[] = [];
  const reasons: Record<string, number> = {};
  let fromCache = 0;
  try {
    const progress = throttledProgress("eval", jobs.length, opts.progress ?? false);
    let generations: Awaited<ReturnType<typeof generateAll>>;
    try {
      generations = await generateAll(jobs, {
        client,
        cache,
        concurrency: c.concurrency,
        onProgress: (p) => {
          fromCache = p.cached;
          progress.update(p.done, { cached: String(p.cached) });
        },
      });
    } finally {
      progress.stop();
    }

    const judge: Verifier | null = c.judge.model
      ? makeJudgeVerifier({
          model: c.judge.model,
          prompt: c.judge.prompt ?? undefined,
          generate: endpointJudge({
            client: c.judge.endpoint ? clientOf(c.judge.endpoint) : client,
            model: c.judge.model,
            maxTokens: c.judge.maxTokens,
            cache,
          }),
        })
      : null;
    const byId = new Map(items.map((i) => [i.id, i]));
    // Rule verdicts as the reward server makes them (in-process, long responses in a pool under
    // a hard time limit), from inputs built by eval/grading.ts as rlev grade builds them.
    const ruled = jobs.flatMap((job, j) => {
      const item = byId.get(job.itemId)!;
      return judge && item.answerType === "free_text" ? [] : [j];
    });
    const ruleVerdicts = new Map<number, Verdict>();
    const verifier = new GuardedVerifier({ threads: opts.verifyThreads });
    try {
      const out = await verifier.verifyMany(
        ruled.map((j) => {
          const item = byId.get(jobs[j].itemId)!;
          const label = {
            reference: item.reference,
            answerType: item.answerType,
            blankPoints: itemBlankPoints(item.meta),
          };
          return gradingInput(label, generations[j].text, opts.grading);
        }),
      );
      ruled.forEach((j, k) => {
        ruleVerdicts.set(j, out[k]);
      });
    } finally {
      await verifier.close();
    }
    for (let j = 0; j < jobs.length; j++) {
      const item = byId.get(jobs[j].itemId)!;
      const g = generations[j];
      let verdict: Verdict;
      let verifierName = "rule";
      const ruleVerdict = ruleVerdicts.get(j);
      if (ruleVerdict) verdict = ruleVerdict;
      else {
        verifierName = judge!.name;
        verdict = await judge!.verify({
          reference: item.reference,
          response: g.text,
          answerType: item.answerType,
          question: item.prompt,
          itemId: item.id,
          sample: jobs[j].sample,
        } as Parameters<Verifier["verify"]>[0]);
      }
      reasons[verdict.reason] = (reasons[verdict.reason] ?? 0) + 1;
      const usage = g.completionTokens !== null;
      rows.push({
        id: item.id,
        sample: jobs[j].sample,
        value: item.value,
        correct: verdict.score === 0 || verdict.score === 1 ? verdict.correct : verdict.score,
        length: usage ? (g.completionTokens as number) : Math.ceil(g.text.length / 4),
        ...(item.difficulty !== undefined ? { difficulty: item.difficulty } : {}),
        pred: verdict.pred,
        reason: String(verdict.reason),
        verifier: verifierName,
        finishReason: g.finishReason,
        lengthSource: usage ? "usage" : "chars/4",
        response: g.text,
      });
    }
  } finally {
    await cache.close();
  }

  const summary = summarizeRun(groupByItem(rows), {
    k: c.n > 1 ? [1, c.n] : [1],
    bootstrap: { resamples: opts.bootstrap ?? 1000, seed: 0 },
  });
  const graded = join(opts.out, "graded.jsonl");
  const metricsPath = join(opts.out, "metrics.json");
  const reportPath = join(opts.out, "report.html");
  await writeJsonl(graded, rows);
  const wallTimeS = (Date.now() - started) / 1000;
  await writeFileAtomic(
    metricsPath,
    `${JSON.stringify(
      {
        endpoint: opts.endpoint,
        model: opts.model,
        data: opts.data,
        split: opts.split ?? null,
        sampling: {
          api: c.api,
          temperature: c.temperature,
          topP: c.topP,
          maxTokens: c.maxTokens,
          n: c.n,
          seed: c.seed,
        },
        judge: c.judge.model,
        promptStyle: style,
        grading: {
          multiSelect: opts.grading?.multiSelect ?? "strict",
          approximate: opts.grading?.approximate ?? false,
        },
        verdicts: reasons,
        responsesFromCache: fromCache,
        wallTimeS,
        summary,
      },
      null,
      2,
    )}\n`,
  );
  const report: ReportData = {
    title: `Endpoint evaluation: ${opts.model}`,
    subtitle: `${summary.items} items × ${c.n} sample(s) from ${opts.data}, ${c.temperature === 0 ? "greedy" : `temperature ${c.temperature}`}`,
    run: {
      command: opts.command,
      wallTimeS,
      date: new Date().toISOString(),
      extra: {
        endpoint: opts.endpoint,
        verifier: c.judge.model ? `rules + judge ${c.judge.model}` : "rules",
      },
    },
    arms: [{ id: "model", label: opts.model }],
    results: resultsFromRuns([{ arm: "model", run: summary }]),
    lengthByValue: lengthByValueFromRuns([{ arm: "model", runs: [summary] }]),
  };
  await writeReport(reportPath, report);
  return {
    summary,
    rows: rows.length,
    reasons,
    files: { graded, metrics: metricsPath, report: reportPath, cache: cachePath },
    fromCache,
  };
}

/** The options `rlev eval` takes for an endpoint evaluation (added to the trainer's eval command). */
export function registerEndpointEvalOptions(cmd: Command): Command {
  return cmd
    .option(
      "--endpoint <url>",
      "evaluate a model behind an OpenAI-compatible endpoint instead of a checkpoint",
    )
    .option("--model <name>", "model name at the endpoint (with --endpoint)")
    .option("--data <file>", "items to evaluate (.jsonl/.parquet; with --endpoint)")
    .option("--split <name>", "only items of this split (with --endpoint)")
    .option("--limit <n>", "only the first n items (with --endpoint)")
    .option("--api-key <key>", "bearer key for the endpoint (default: $OPENAI_API_KEY)")
    .option("--cache <file>", "response cache (default: <out>/responses.cache.jsonl)")
    .option(
      "--prompt-style <style>",
      "plain (the item's prompt, client.promptTemplate) or gaokao-bench (the benchmark's own prompt per keyword; with --endpoint)",
      "plain",
    )
    .option(
      "--prompt-file <files...>",
      "GAOKAO-Bench prompt files (Bench/Obj_Prompt.json, Bench/Sub_Prompt.json)",
    )
    .option(
      "--multi-select <rule>",
      "multiple-select partial credit: strict, half = six-three-zero (6/3/0), five-two-zero, per-option (with --endpoint)",
      "strict",
    )
    .option("--approximate", "accept rounded decimals for exact symbolic references (with --endpoint)");
}

export interface EndpointEvalCliOptions {
  endpoint?: string;
  model?: string;
  data?: string;
  split?: string;
  limit?: string;
  apiKey?: string;
  cache?: string;
  promptStyle?: string;
  promptFile?: string[];
  multiSelect?: string;
  approximate?: boolean;
  config?: string;
  set: string[];
  out: string;
}

/** True when `rlev eval` was asked for an endpoint evaluation. */
export function isEndpointEval(opts: { endpoint?: string }): boolean {
  return opts.endpoint !== undefined;
}

/** The `rlev eval --endpoint` action: parse, run, print a summary. */
export async function runEndpointEvalCommand(opts: EndpointEvalCliOptions): Promise<void> {
  if (!opts.model) throw new UsageError("--endpoint needs --model NAME");
  if (!opts.data) throw new UsageError("--endpoint needs --data FILE");
  const limit = opts.limit === undefined ? undefined : Number(opts.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    throw new UsageError("--limit must be a positive integer");
  const style = opts.promptStyle ?? "plain";
  if (!(ENDPOINT_PROMPT_STYLES as readonly string[]).includes(style))
    throw new UsageError(
      `--prompt-style must be one of ${ENDPOINT_PROMPT_STYLES.join(", ")} (got "${style}")`,
    );
  const grading: GradingOptions = {
    multiSelect: multiSelectRuleOption(opts.multiSelect ?? "strict"),
    approximate: opts.approximate ?? false,
  };
  const cfg = await loadConfig(opts.config, opts.set);
  const r = await runEndpointEval({
    endpoint: opts.endpoint!,
    model: opts.model,
    data: opts.data,
    out: opts.out,
    client: cfg.client,
    apiKey: opts.apiKey ?? process.env.OPENAI_API_KEY,
    split: opts.split,
    limit,
    cachePath: opts.cache,
    bootstrap: cfg.eval.bootstrap,
    progress: true,
    command: `rlev ${process.argv.slice(2).join(" ")}`,
    promptStyle: style as EndpointPromptStyle,
    promptFiles: opts.promptFile,
    grading,
  });
  const m = r.summary.metrics;
  const pct = (k: string) => (m[k] ? `${(100 * m[k].estimate).toFixed(1)}%` : "-");
  process.stdout.write(
    `${opts.model} on ${r.summary.items} items (${r.rows} responses, ${r.fromCache} from cache): ` +
      `Acc ${pct("acc")}  H-Acc ${pct("hAcc")}  length ${m.meanLength?.estimate.toFixed(1) ?? "-"}\n` +
      `verdicts: ${Object.entries(r.reasons)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}\n` +
      `wrote ${r.files.graded}, ${r.files.metrics}, ${r.files.report}\n`,
  );
}
