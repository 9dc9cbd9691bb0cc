import type { Command } from "commander";
import { type DataConfig, loadConfig } from "../../config/index.js";
import { readItems, writeItems } from "../../data/items-io.js";
import { loadItems, streamItems } from "../../data/load.js";
import { splitByExam } from "../../data/split.js";
import { UsageError } from "../../util/errors.js";

/** Parses a numeric option strictly ("0.2", "10"); a typo is a usage error, not NaN. */
export function numberOption(
  name: string,
  raw: string,
  check?: (x: number) => boolean,
  must?: string,
): number {
  const x = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(x) || (check && !check(x)))
    throw new UsageError(`--${name} must be ${must ?? "a number"} (got "${raw}")`);
  return x;
}

export const intOption = (name: string, raw: string, min = 0) =>
  numberOption(name, raw, (x) => Number.isInteger(x) && x >= min, `an integer >= ${min}`);

/** `--config` and `--set` for commands whose defaults live in the config's `data` section. */
export function withConfigOptions(cmd: Command): Command {
  return cmd
    .option("--config <file>", "config file (JSON); its data section supplies the defaults")
    .option("--set <key=value...>", "config overrides, e.g. data.testFraction=0.1", []);
}

export async function dataConfigOf(opts: { config?: string; set?: string[] }): Promise<DataConfig> {
  return (await loadConfig(opts.config, opts.set ?? [])).data;
}

export function register(program: Command): void {
  const data = program
    .command("data")
    .description("value-labeled item files (.jsonl / .parquet): validate, convert, split by exam");

  data
    .command("validate")
    .description("check an item file (or a folder of them): schema, value = points/examTotal, unique ids")
    .requiredOption("--input <path>", "item file (.jsonl, .parquet) or folder")
    .action(async (opts: { input: string }) => {
      let n = 0;
      const exams = new Set<string>();
      const splits = new Map<string, number>();
      for await (const it of streamItems(opts.input)) {
        n++;
        exams.add(it.examId);
        splits.set(it.split, (splits.get(it.split) ?? 0) + 1);
      }
      const bySplit = [...splits]
        .sort()
        .map(([s, k]) => `${s} ${k}`)
        .join(", ");
      process.stdout.write(`ok ${opts.input}: ${n} items, ${exams.size} exams (${bySplit || "no items"})\n`);
    });

  withConfigOptions(
    data
      .command("convert")
      .description("convert between JSONL and Parquet (by extension), streaming and validating every record")
      .requiredOption("--input <file>", "item file to read")
      .requiredOption("--output <file>", "item file to write (.jsonl or .parquet)")
      .option("--row-group-size <n>", "rows per Parquet row group (default: data.rowGroupSize, 1000)"),
  ).action(
    async (opts: {
      input: string;
      output: string;
      rowGroupSize?: string;
      config?: string;
      set?: string[];
    }) => {
      const cfg = await dataConfigOf(opts);
      const rowGroupSize =
        opts.rowGroupSize === undefined
          ? cfg.rowGroupSize
          : intOption("row-group-size", opts.rowGroupSize, 1);
      const n = await writeItems(opts.output, readItems(opts.input), { rowGroupSize });
      process.stdout.write(`wrote ${n} items to ${opts.output}\n`);
    },
  );

  withConfigOptions(
    data
      .command("split")
      .description("deterministic train/test split by exam; exams sharing a question stay on one side")
      .requiredOption("--input <path>", "item file or folder")
      .option("--output <file>", "all items with their new split field")
      .option("--train-output <file>", "the train items only")
      .option("--test-output <file>", "the test items only")
      .option("--test-fraction <x>", "share of items in the test split (default: data.testFraction, 0.2)")
      .option("--seed <n>", "seed of the exam shuffle (default: the config's seed, 0)")
      .option("--no-group-text", "do not keep exams that share a question together (data.groupByText)"),
  ).action(
    async (opts: {
      input: string;
      output?: string;
      trainOutput?: string;
      testOutput?: string;
      testFraction?: string;
      seed?: string;
      groupText: boolean;
      config?: string;
      set?: string[];
    }) => {
      const config = await loadConfig(opts.config, opts.set ?? []);
      if (!opts.output && !opts.trainOutput && !opts.testOutput)
        throw new UsageError("give --output, or --train-output and/or --test-output");
      const testFraction =
        opts.testFraction === undefined
          ? config.data.testFraction
          : numberOption("test-fraction", opts.testFraction, (x) => x >= 0 && x <= 1, "in [0, 1]");
      const seed = opts.seed === undefined ? config.seed : intOption("seed", opts.seed);
      const groupByText = opts.groupText && config.data.groupByText;
      const items = await loadItems(opts.input);
      const { items: split, summary } = splitByExam(items, { testFraction, seed, groupByText });
      if (opts.output) await writeItems(opts.output, split);
      if (opts.trainOutput)
        await writeItems(
          opts.trainOutput,
          split.filter((it) => it.split === "train"),
        );
      if (opts.testOutput)
        await writeItems(
          opts.testOutput,
          split.filter((it) => it.split === "test"),
        );
      process.stdout.write(
        `train ${summary.train.items} items / ${summary.train.exams} exams, test ${summary.test.items} items / ${summary.test.exams} exams` +
          ` (${summary.units} units; ${summary.linkedExams} exams linked by shared questions; seed ${seed})\n`,
      );
    },
  );
}
