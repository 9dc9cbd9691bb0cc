import type { Command } from "commander";
import {
  compareRuns,
  compareSeeds,
  formatComparison,
  formatRun,
  formatSeeds,
  readGraded,
  type SummaryOptions,
  summarizeRun,
  summarizeSeeds,
} from "../../metrics/index.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { UsageError } from "../../util/errors.js";

interface MetricsOpts {
  input: string[];
  baseline: string[];
  json?: boolean;
  out?: string;
  k: string;
  bootstrap: string;
  seed: string;
  level: string;
  top: string;
  buckets: string;
  seedCi: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function number(name: string, raw: string, ok: (x: number) => boolean, want: string): number {
  const x = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(x) || !ok(x))
    throw new UsageError(`--${name} must be ${want}, got "${raw}"`);
  return x;
}

function parseK(raw: string): number[] {
  const ks = raw
    .split(",")
    .map((s) =>
      number(
        "k",
        s.trim(),
        (x) => Number.isInteger(x) && x >= 1,
        "a comma-separated list of positive integers",
      ),
    );
  return [...new Set(ks)].sort((a, b) => a - b);
}

export function register(program: Command): void {
  program
    .command("metrics")
    .description(
      "Acc, H-Acc, value density, top/bottom-value accuracy, pass@k, mean@n, per-difficulty and per-value-bucket tables, with bootstrap CIs, from graded responses (JSONL: id, value, correct, length, [difficulty], [sample])",
    )
    .option("--input <file>", "graded responses; repeat once per seed for a CI over seeds", collect, [])
    .option(
      "--baseline <file>",
      "graded responses of a second arm on the same prompts (repeat per seed, same order): paired differences",
      collect,
      [],
    )
    .option("--json", "print JSON instead of tables (fractions in [0, 1])")
    .option("--out <file>", "also write the JSON report to this file (atomically)")
    .option("--k <list>", "pass@k values, e.g. 1,4,8", "1")
    .option("--bootstrap <n>", "bootstrap resamples over prompts (0 turns CIs off)", "1000")
    .option("--seed <n>", "seed of the bootstrap", "0")
    .option("--level <p>", "confidence level", "0.95")
    .option("--top <fraction>", "share of prompts in the top/bottom value slices", "0.2")
    .option("--buckets <n>", "value buckets for length by value", "5")
    .option("--seed-ci <method>", "CI over seeds: t or bootstrap", "t")
    .action(async (opts: MetricsOpts) => {
      if (opts.input.length === 0)
        throw new UsageError("metrics needs --input <file> (graded responses JSONL)");
      if (opts.baseline.length > 0 && opts.baseline.length !== opts.input.length)
        throw new UsageError(
          `give as many --baseline files as --input files (${opts.baseline.length} vs ${opts.input.length})`,
        );
      if (opts.seedCi !== "t" && opts.seedCi !== "bootstrap")
        throw new UsageError(`--seed-ci must be t or bootstrap, got "${opts.seedCi}"`);
      const bootstrap = {
        resamples: number(
          "bootstrap",
          opts.bootstrap,
          (x) => Number.isInteger(x) && x >= 0,
          "an integer ≥ 0",
        ),
        seed: number("seed", opts.seed, Number.isInteger, "an integer"),
        level: number("level", opts.level, (x) => x > 0 && x < 1, "a number in (0, 1)"),
      };
      const summaryOptions: SummaryOptions = {
        k: parseK(opts.k),
        sliceFraction: number("top", opts.top, (x) => x > 0 && x <= 0.5, "a fraction in (0, 0.5]"),
        buckets: number("buckets", opts.buckets, (x) => Number.isInteger(x) && x >= 1, "a positive integer"),
        bootstrap,
      };
      const seedOptions = {
        method: opts.seedCi as "t" | "bootstrap",
        level: bootstrap.level,
        seed: bootstrap.seed,
        resamples: bootstrap.resamples > 0 ? bootstrap.resamples : 1000,
      };

      const inputs = await Promise.all(opts.input.map((f) => readGraded(f)));
      const baselines = await Promise.all(opts.baseline.map((f) => readGraded(f)));
      const runs = inputs.map((g) => summarizeRun(g.items, summaryOptions));
      const baseRuns = baselines.map((g) => summarizeRun(g.items, summaryOptions));
      const seeds = runs.length > 1 ? summarizeSeeds(runs, seedOptions) : null;
      let comparison = null;
      if (baselines.length === 1) {
        try {
          comparison = compareRuns(inputs[0].items, baselines[0].items, summaryOptions);
        } catch (err) {
          throw new UsageError(`${opts.input[0]} vs ${opts.baseline[0]}: ${(err as Error).message}`);
        }
      } else if (baselines.length > 1) comparison = compareSeeds(runs, baseRuns, seedOptions);

      const report =
        runs.length === 1
          ? {
              input: opts.input[0],
              ...runs[0],
              ...(comparison ? { baseline: opts.baseline[0], comparison } : {}),
            }
          : {
              inputs: opts.input,
              runs,
              seeds,
              ...(comparison ? { baselines: opts.baseline, baselineRuns: baseRuns, comparison } : {}),
            };
      const json = `${JSON.stringify(report, null, 2)}\n`;
      if (opts.out) await writeFileAtomic(opts.out, json);
      if (opts.json) {
        process.stdout.write(json);
        return;
      }
      const parts = runs.map((r, i) => formatRun(r, opts.input[i]));
      if (seeds)
        parts.push(
          formatSeeds(
            seeds,
            opts.input.map((_, i) => `seed ${i + 1}`),
            summaryOptions.sliceFraction!,
          ),
        );
      if (comparison) parts.push(formatComparison(comparison, summaryOptions.sliceFraction!));
      process.stdout.write(`${parts.join("\n\n")}\n`);
    });
}
