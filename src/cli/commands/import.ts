import type { Command } from "commander";
import { DIFFICULTY_CLASSES, parseDifficultyClass } from "../../data/difficulty.js";
import { crossCheckGaokao, formatCrossCheck } from "../../data/importers/cross-check.js";
import { importGaokao } from "../../data/importers/gaokao.js";
import type { ExamGrouping } from "../../data/importers/grouping.js";
import { type Gsm8kWeakMode, importGsm8k } from "../../data/importers/gsm8k.js";
import { importMath } from "../../data/importers/math.js";
import type { Item } from "../../data/item.js";
import { writeItems } from "../../data/items-io.js";
import { checkItems } from "../../data/load.js";
import { UsageError } from "../../util/errors.js";
import { applyExamTotals } from "../../values/value.js";
import { intOption } from "./data.js";
import { examTotalRuleOption } from "./values.js";

function choice<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw))
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")} (got "${raw}")`);
  return raw as T;
}

/** Applies the exam-total rule, validates every item, writes the file, and says what was written. */
async function finish(
  items: Item[],
  opts: { output: string; examTotal: string; rowGroupSize: string },
): Promise<void> {
  const rule = examTotalRuleOption(opts.examTotal);
  const rowGroupSize = intOption("row-group-size", opts.rowGroupSize, 1);
  const out = checkItems(rule === "official" ? items : applyExamTotals(items, rule), opts.output);
  const n = await writeItems(opts.output, out, { rowGroupSize });
  const exams = new Set(out.map((it) => it.examId)).size;
  process.stdout.write(`wrote ${n} items (${exams} exams, exam total: ${rule}) to ${opts.output}\n`);
}

export function register(program: Command): void {
  const imp = program
    .command("import")
    .description("import public data sets as value-labeled items (GAOKAO-Bench, MATH, GSM8K)");
  const common = (cmd: Command, defaultTotal: string) =>
    cmd
      .requiredOption("--output <file>", "item file to write (.jsonl or .parquet)")
      .option("--exam-total <rule>", "exam total T in v = points / T: official or dataset", defaultTotal)
      .option("--split <name>", "split field of the items", "train")
      .option("--row-group-size <n>", "rows per Parquet row group", "1000");

  common(
    imp
      .command("gaokao")
      .description(
        "GAOKAO-Bench from its upstream Data/ folder (Objective_Questions/, Subjective_Questions/)",
      )
      .requiredOption("--raw <dir>", "the upstream Data/ folder"),
    "official",
  )
    .option("--no-analysis", "drop the worked solutions (meta.analysis)")
    .option(
      "--cross-check <file>",
      "compare every item with a derived gaokao_bench.jsonl and explain differences",
    )
    .action(
      async (opts: {
        raw: string;
        output: string;
        examTotal: string;
        split: string;
        rowGroupSize: string;
        analysis: boolean;
        crossCheck?: string;
      }) => {
        const rule = examTotalRuleOption(opts.examTotal);
        const items = await importGaokao(opts.raw, { split: opts.split, includeAnalysis: opts.analysis });
        if (opts.crossCheck) {
          const report = await crossCheckGaokao(
            rule === "official" ? items : applyExamTotals(items, rule),
            opts.crossCheck,
          );
          process.stdout.write(formatCrossCheck(report));
          if (!report.agrees) process.exitCode = 1;
        }
        await finish(items, opts);
      },
    );

  common(
    imp
      .command("math")
      .description("MATH JSONL (MATH-500, Hendrycks MATH): level 1–5 → weak value 1, 2, 4, 6, 8 / 100")
      .requiredOption("--input <files...>", "MATH JSONL file(s)"),
    "official",
  )
    .option("--exam-by <grouping>", "exam ids: subject (one exam per MATH subject) or chunk", "subject")
    .option("--exam-size <n>", "problems per exam with --exam-by chunk", "50")
    .option("--skip-unknown-level", 'skip problems without a level 1–5 ("Level ?") instead of failing')
    .option("--no-solution", "drop the worked solutions (meta.solution)")
    .action(
      async (opts: {
        input: string[];
        output: string;
        examTotal: string;
        split: string;
        rowGroupSize: string;
        examBy: string;
        examSize: string;
        skipUnknownLevel?: boolean;
        solution: boolean;
      }) => {
        const examBy = choice<ExamGrouping>("exam-by", opts.examBy, ["subject", "chunk"]);
        const examSize = intOption("exam-size", opts.examSize, 1);
        const items: Item[] = [];
        for (const file of opts.input)
          items.push(
            ...(await importMath(file, {
              examBy,
              examSize,
              split: opts.split,
              onUnknownLevel: opts.skipUnknownLevel ? "skip" : "error",
              includeSolution: opts.solution,
            })),
          );
        await finish(items, opts);
      },
    );

  common(
    imp
      .command("gsm8k")
      .description('GSM8K JSONL: the number after "####", weak values uniform or by step count')
      .requiredOption("--input <files...>", "GSM8K JSONL file(s)"),
    "official",
  )
    .option(
      "--weak <mode>",
      "uniform (one class for all) or steps (class from the solution's step count)",
      "uniform",
    )
    .option("--class <name>", `class for --weak uniform (${DIFFICULTY_CLASSES.join(", ")})`, "primary")
    .option("--exam-size <n>", "problems per pseudo-exam, in file order", "50")
    .option("--no-solution", "drop the worked solutions (meta.solution)")
    .action(
      async (opts: {
        input: string[];
        output: string;
        examTotal: string;
        split: string;
        rowGroupSize: string;
        weak: string;
        class: string;
        examSize: string;
        solution: boolean;
      }) => {
        const weak = choice<Gsm8kWeakMode>("weak", opts.weak, ["uniform", "steps"]);
        const uniformClass = parseDifficultyClass(opts.class);
        if (!uniformClass)
          throw new UsageError(
            `--class must be one of ${DIFFICULTY_CLASSES.join(", ")} (got "${opts.class}")`,
          );
        const examSize = intOption("exam-size", opts.examSize, 1);
        const items: Item[] = [];
        for (const file of opts.input)
          items.push(
            ...(await importGsm8k(file, {
              weak,
              uniformClass,
              examSize,
              split: opts.split,
              includeSolution: opts.solution,
            })),
          );
        await finish(items, opts);
      },
    );
}
