import type { Command } from "commander";
import { runValuePrediction } from "../../client/predict-values.js";
import { loadConfig } from "../../config/index.js";
import { readAllItems } from "../../data/items-io.js";
import { UsageError } from "../../util/errors.js";

/** The `values` command group, shared with other `values` subcommands (find-or-create). */
export function valuesGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === "values") ??
    program.command("values").description("item values: v = points / total, weak, predicted, shuffled")
  );
}

function fmt(x: number | null, digits = 4): string {
  return x === null ? "n/a" : x.toFixed(digits);
}

export function register(program: Command): void {
  valuesGroup(program)
    .command("predict")
    .description(
      "predict item values with an LLM behind an OpenAI-compatible endpoint (the paper's scoring prompt, docs/method.md#predicted-values)",
    )
    .requiredOption("--endpoint <url>", "base URL of the endpoint (e.g. http://127.0.0.1:8000)")
    .requiredOption("--model <name>", "model name to ask")
    .requiredOption("--input <file>", "items (.jsonl or .parquet)")
    .requiredOption("--output <file>", "items with predicted values (meta.valueSource = predicted)")
    .option("--total-score <n>", "exam total the model scores against (default: each item's examTotal)")
    .option("--max-tokens <n>", "reply tokens allowed", "64")
    .option(
      "--on-invalid <what>",
      "items without a valid score: skip (leave out) or keep (old value)",
      "skip",
    )
    .option("--cache <file>", "response cache (default: <output>.cache.jsonl)")
    .option("--api-key <key>", "bearer key for the endpoint (default: $OPENAI_API_KEY)")
    .option("--config <file>", "config file (client section: concurrency, retries, timeouts)")
    .option("--set <key=value...>", "config overrides, e.g. client.concurrency=16", [])
    .action(async (opts) => {
      const cfg = await loadConfig(opts.config, opts.set);
      const onInvalid = String(opts.onInvalid);
      if (onInvalid !== "skip" && onInvalid !== "keep")
        throw new UsageError('--on-invalid must be "skip" or "keep"');
      const maxTokens = Number(opts.maxTokens);
      if (!Number.isInteger(maxTokens) || maxTokens < 1)
        throw new UsageError("--max-tokens must be a positive integer");
      const totalScore = opts.totalScore === undefined ? null : Number(opts.totalScore);
      const items = await readAllItems(opts.input);
      const r = await runValuePrediction({
        endpoint: opts.endpoint,
        model: opts.model,
        apiKey: opts.apiKey ?? process.env.OPENAI_API_KEY,
        items,
        output: opts.output,
        totalScore,
        client: cfg.client,
        maxTokens,
        onInvalid,
        cachePath: opts.cache ?? `${opts.output}.cache.jsonl`,
        progress: true,
      });
      process.stdout.write(
        `predicted ${r.predicted}/${r.items} values (${r.invalid} invalid), wrote ${r.written} items to ${r.output}\n` +
          `against ${r.compared} true values: pearson ${fmt(r.pearson)}, exact match ${fmt(r.exactMatch)}, mean abs error ${fmt(r.meanAbsoluteError, 6)}\n`,
      );
      for (const [reason, n] of Object.entries(r.invalidReasons))
        process.stdout.write(`  invalid: ${reason} (${n})\n`);
    });
}
