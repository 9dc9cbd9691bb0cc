import type { Command } from "commander";
import type { DataConfig } from "../../config/index.js";
import { DIFFICULTY_CLASSES, parseDifficultyClass } from "../../data/difficulty.js";
import { crossCheckGaokao, formatCrossCheck } from "../../data/importers/cross-check.js";
import { importGaokao } from "../../data/importers/gaokao.js";
import type { ExamGrouping } from "../../data/importers/grouping.js";
import { type Gsm8kWeakMode, importGsm8k } from "../../data/importers/gsm8k.js";
import { importMath } from "../../data/importers/math.js";
import type { ExamTotalRule, Item } from "../../data/item.js";
import { writeItems } from "../../data/items-io.js";
import { checkItems } from "../../data/load.js";
import { UsageError } from "../../util/errors.js";
import { applyExamTotals } from "../../values/value.js";
import { dataConfigOf, intOption, withConfigOptions } from "./data.js";
import { examTotalRuleOption } from "./values.js";

function choice<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw))
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")} (got "${raw}")`);
  return raw as T;
}

/** Options every importer takes; unset flags fall back to the config's `data` section. */
interface CommonOpts {
  output: string;
  examTotal?: string;
  split: string;
  rowGroupSize?: string;
  examSize?: string;
  config?: string;
  set?: string[];
}

interface Settings {
  cfg: DataConfig;
  rule: ExamTotalRule;
  rowGroupSize: number;
  examSize: number;
}

async function settingsOf(opts: CommonOpts): Promise<Settings> {
  const cfg = await dataConfigOf(opts);
  return {
    cfg,
    rule: opts.examTotal === undefined ? cfg.examTotal : examTotalRuleOption(opts.examTotal),
    rowGroupSize:
      opts.rowGroupSize === undefined ? cfg.rowGroupSize : intOption("row-group-size", opts.rowGroupSize, 1),
    examSize: opts.examSize === undefined ? cfg.examSize : intOption("exam-size", opts.examSize, 1),
  };
}

/** Applies the exam-total rule, validates every item, writes the file, and says what was written. */
async function finish(items: Item[], output: string, s: Settings): Promise<void> {
  const out = checkItems(s.rule === "official" ? items : applyExamTotals(items, s.rule), output);
  const n = await writeItems(output, out, { rowGroupSize: s.rowGroupSize });
  const exams = new Set(out.map((it) => it.examId)).size;
  process.stdout.write(`wrote ${n} items (${exams} exams, exam total: ${s.rule}) to ${output}\n`);
}

export function register(program: Command): void {
  const imp = program
    .command("import")
    .description("import public data sets as value-labeled items (GAOKAO-Bench, MATH, GSM8K)");
  const common = (cmd: Command) =>
    withConfigOptions(
      cmd
        .requiredOption("--output <file>", "item file to write (.jsonl or .parquet)")
        .option(
          "--exam-total <rule>",
          "exam total T in v = points / T: official or dataset (default: data.examTotal)",
        )
        .option("--split <name>", "split field of the items", "train")
        .option("--row-group-size <n>", "rows per Parquet row group (default: data.rowGroupSize, 1000)"),
    );

  common(
    imp
      .command("gaokao")
      .description(
        "GAOKAO-Bench from its upstream Data/ folder (Objective_Questions/, Subjective_Questions/)",
      )
      .requiredOption("--raw <dir>", "the upstream Data/ folder"),
  )
    .option("--no-analysis", "drop the worked solutions (meta.analysis)")
    .option(
      "--cross-check <file>",
      "compare every item with a derived gaokao_bench.jsonl and explain differences",
    )
    .action(async (opts: CommonOpts & { raw: string; analysis: boolean; crossCheck?: string }) => {
      const s = await settingsOf(opts);
      const items = await importGaokao(opts.raw, { split: opts.split, includeAnalysis: opts.analysis });
      if (opts.crossCheck) {
        const valued = s.rule === "official" ? items : applyExamTotals(items, s.rule);
        const report = await crossCheckGaokao(valued, opts.crossCheck);
        process.stdout.write(formatCrossCheck(report));
        if (!report.agrees) process.exitCode = 1;
      }
      await finish(items, opts.output, s);
    });

  common(
    imp
      .command("math")
      .description("MATH JSONL (MATH-500, Hendrycks MATH): level 1–5 → weak value 1, 2, 4, 6, 8 / 100")
      .requiredOption("--input <files...>", "MATH JSONL file(s)"),
  )
    .option("--exam-by <grouping>", "exam ids: subject (one exam per MATH subject) or chunk", "subject")
    .option("--exam-size <n>", "problems per exam with --exam-by chunk (default: data.examSize, 50)")
    .option("--skip-unknown-level", 'skip problems without a level 1–5 ("Level ?") instead of failing')
    .option("--no-solution", "drop the worked solutions (meta.solution)")
    .action(
      async (
        opts: CommonOpts & { input: string[]; examBy: string; skipUnknownLevel?: boolean; solution: boolean },
      ) => {
        const s = await settingsOf(opts);
        const examBy = choice<ExamGrouping>("exam-by", opts.examBy, ["subject", "chunk"]);
        const items: Item[] = [];
        for (const file of opts.input)
          items.push(
            ...(await importMath(file, {
              examBy,
              examSize: s.examSize,
              split: opts.split,
              onUnknownLevel: opts.skipUnknownLevel ? "skip" : "error",
              includeSolution: opts.solution,
            })),
          );
        await finish(items, opts.output, s);
      },
    );

  common(
    imp
      .command("gsm8k")
      .description('GSM8K JSONL: the number after "####", weak values uniform or by step count')
      .requiredOption("--input <files...>", "GSM8K JSONL file(s)"),
  )
    .option(
      "--weak <mode>",
      "uniform (one class for all) or steps (class from the solution's step count)",
      "uniform",
    )
    .option("--class <name>", `class for --weak uniform (${DIFFICULTY_CLASSES.join(", ")})`, "primary")
    .option("--exam-size <n>", "problems per pseudo-exam, in file order (default: data.examSize, 50)")
    .option("--no-solution", "drop the worked solutions (meta.solution)")
    .action(
      async (opts: CommonOpts & { input: string[]; weak: string; class: string; solution: boolean }) => {
        const s = await settingsOf(opts);
        const weak = choice<Gsm8kWeakMode>("weak", opts.weak, ["uniform", "steps"]);
        const uniformClass = parseDifficultyClass(opts.class);
        if (!uniformClass)
          throw new UsageError(
            `--class must be one of ${DIFFICULTY_CLASSES.join(", ")} (got "${opts.class}")`,
          );
        const items: Item[] = [];
        for (const file of opts.input)
          items.push(
            ...(await importGsm8k(file, {
              weak,
              uniformClass,
              examSize: s.examSize,
              split: opts.split,
              includeSolution: opts.solution,
            })),
          );
        await finish(items, opts.output, s);
      },
    );
}
