import type { Command } from "commander";
import { EXAM_TOTAL_RULES, type ExamTotalRule } from "../../data/item.js";
import { writeItems } from "../../data/items-io.js";
import { checkItems, loadItems, streamItems } from "../../data/load.js";
import { InputError, UsageError } from "../../util/errors.js";
import { shuffleItemValues } from "../../values/shuffle.js";
import { formatValueStats, type ValueStats, ValueStatsAccumulator, valueStats } from "../../values/stats.js";
import { applyExamTotals } from "../../values/value.js";
import {
  DIFFICULTY_CLASSES,
  difficultyClassOf,
  parseDifficultyClass,
  withWeakValue,
} from "../../values/weak.js";
import { intOption, numberOption } from "./data.js";

export function examTotalRuleOption(raw: string): ExamTotalRule {
  if (!(EXAM_TOTAL_RULES as readonly string[]).includes(raw))
    throw new UsageError(`--exam-total must be one of ${EXAM_TOTAL_RULES.join(", ")} (got "${raw}")`);
  return raw as ExamTotalRule;
}

export function register(program: Command): void {
  // Other modules add subcommands to `values` too (values predict): find it or create it.
  const values =
    program.commands.find((c) => c.name() === "values") ??
    program
      .command("values")
      .description("item values v = points / exam total: statistics, weak, predicted, shuffled");

  values
    .command("stats")
    .description("value statistics of an item file, a folder of item files, or a GAOKAO-Bench raw folder")
    .requiredOption("--input <path>", "item file (.jsonl, .parquet), folder, or GAOKAO-Bench Data/ folder")
    .option("--alpha <x>", "RLEV alpha: report the share of items with alpha * v > 1", "10")
    .option("--exam-total <rule>", "recompute values first: official or dataset")
    .option("--json", "print JSON")
    .action(async (opts: { input: string; alpha: string; examTotal?: string; json?: boolean }) => {
      const alpha = numberOption("alpha", opts.alpha, (x) => x >= 0, "a number >= 0");
      let stats: ValueStats;
      if (opts.examTotal) {
        stats = valueStats(
          applyExamTotals(await loadItems(opts.input), examTotalRuleOption(opts.examTotal)),
          { alpha },
        );
      } else {
        // Item files stream through the accumulator; only a raw GAOKAO folder is imported in memory.
        const acc = new ValueStatsAccumulator();
        for await (const item of streamItems(opts.input)) acc.add(item);
        stats = acc.result(alpha);
      }
      process.stdout.write(opts.json ? `${JSON.stringify(stats, null, 2)}\n` : formatValueStats(stats));
    });

  values
    .command("weak")
    .description("replace values by weak values from difficulty classes (1, 2, 4, 6, 8 of 100)")
    .requiredOption(
      "--input <path>",
      "item file or folder; items need difficulty 1–5 or meta.difficultyClass",
    )
    .requiredOption("--output <file>", "item file to write")
    .option("--class <name>", `give every item this class (${DIFFICULTY_CLASSES.join(", ")})`)
    .action(async (opts: { input: string; output: string; class?: string }) => {
      const forced = opts.class === undefined ? undefined : parseDifficultyClass(opts.class);
      if (opts.class !== undefined && !forced)
        throw new UsageError(`--class must be one of ${DIFFICULTY_CLASSES.join(", ")} (got "${opts.class}")`);
      const items = await loadItems(opts.input);
      const out = items.map((it, row) => {
        if (forced) return withWeakValue(it, forced);
        const cls = difficultyClassOf(it);
        if ("field" in cls)
          throw new InputError({ file: opts.input, row, field: cls.field }, `item ${it.id}: ${cls.detail}`);
        return withWeakValue(it, cls.cls);
      });
      const n = await writeItems(opts.output, checkItems(out, opts.output));
      process.stdout.write(`wrote ${n} items with weak values to ${opts.output}\n`);
    });

  values
    .command("shuffle")
    .description("the random-weights ablation: permute values across the train split (same marginal)")
    .requiredOption("--input <path>", "item file or folder")
    .requiredOption("--output <file>", "item file to write")
    .option("--seed <n>", "shuffle seed", "0")
    .option("--split <name>", 'split whose items exchange values ("all" for every item)', "train")
    .action(async (opts: { input: string; output: string; seed: string; split: string }) => {
      const seed = intOption("seed", opts.seed);
      const items = await loadItems(opts.input);
      const split = opts.split === "all" ? null : opts.split;
      const chosen = items.filter((it) => split === null || it.split === split).length;
      if (chosen === 0)
        throw new UsageError(`no items in split "${opts.split}" (use --split all or another split)`);
      const n = await writeItems(
        opts.output,
        checkItems(shuffleItemValues(items, { seed, split }), opts.output),
      );
      process.stdout.write(
        `shuffled the values of ${chosen} items (seed ${seed}); wrote ${n} items to ${opts.output}\n`,
      );
    });

  values
    .command("totals")
    .description(
      "recompute value = points / exam total under a rule: official paper total or the in-data-set sum",
    )
    .requiredOption("--input <path>", "item file or folder")
    .requiredOption("--output <file>", "item file to write")
    .requiredOption("--exam-total <rule>", "official or dataset")
    .action(async (opts: { input: string; output: string; examTotal: string }) => {
      const rule = examTotalRuleOption(opts.examTotal);
      const items = applyExamTotals(await loadItems(opts.input), rule);
      const n = await writeItems(opts.output, checkItems(items, opts.output));
      process.stdout.write(`wrote ${n} items (exam total: ${rule}) to ${opts.output}\n`);
    });
}
