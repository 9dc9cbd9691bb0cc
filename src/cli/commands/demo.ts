import type { Command } from "commander";
import { claimLine } from "../../experiment/analysis.js";
import { runDemo } from "../../experiment/demo.js";
import { UsageError } from "../../util/errors.js";
import { interruptOnSigint } from "./run-common.js";

interface DemoOpts {
  config: string;
  set: string[];
  jobs?: string;
  seeds?: string;
  out?: string;
  fresh?: boolean;
  saveWarmup?: boolean;
  png?: string;
  quiet?: boolean;
}

/** Parses a positive integer option, or throws a usage error naming it. */
export function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new UsageError(`${name} must be a positive integer, got "${raw}"`);
  return Number(raw);
}

/** Parses "1,2,3" or "1-5" into seeds. */
export function parseSeeds(raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  const range = /^(\d+)-(\d+)$/.exec(raw);
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    if (b < a) throw new UsageError(`--seeds ${raw}: the range is empty`);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }
  if (!/^\d+(,\d+)*$/.test(raw)) throw new UsageError(`--seeds must look like 1,2,3 or 1-5, got "${raw}"`);
  const seeds = raw.split(",").map(Number);
  if (new Set(seeds).size !== seeds.length) throw new UsageError(`--seeds ${raw} repeats a seed`);
  return seeds;
}

export function register(program: Command): void {
  program
    .command("demo")
    .description(
      "the main demo: from the warm-up policy, train correctness-only, RLEV (RLOO, α = 10) and its matched-scale control with the same seeds and compute, evaluate on held-out exams, print the table and write runs/demo/report.html",
    )
    .option("--config <file>", "demo configuration", "configs/demo.json")
    .option("--set <key=value...>", "overrides of the shared rlev config, e.g. train.steps=30", [])
    .option("--jobs <n>", "arms run in parallel child processes (default: the config's, 2)")
    .option("--seeds <list>", "seeds, e.g. 1 or 1,2 or 1-3 (default: the config's)")
    .option("--out <dir>", "output folder (default: the config's, runs/demo)")
    .option("--fresh", "discard finished arm runs in the output folder and run them again")
    .option("--save-warmup", "when the warm-up is rebuilt, also install it at the committed checkpoint path")
    .option("--png <file>", "also save the report's key chart as PNG (needs Debian's chromium)")
    .option("--quiet", "no progress lines")
    .action(async (opts: DemoOpts) => {
      const jobs = positiveInt("--jobs", opts.jobs);
      const seeds = parseSeeds(opts.seeds);
      const interrupt = interruptOnSigint();
      const t0 = performance.now();
      try {
        const r = await runDemo({
          configFile: opts.config,
          overrides: opts.set,
          jobs,
          seeds,
          out: opts.out,
          fresh: opts.fresh,
          saveWarmup: opts.saveWarmup,
          png: opts.png,
          command: ["rlev", ...process.argv.slice(2)].join(" "),
          signal: interrupt.signal,
          log: opts.quiet ? undefined : (m) => process.stderr.write(`rlev: ${m}\n`),
        });
        if (r.status === "interrupted") {
          process.stderr.write("rlev: demo interrupted; rerun the same command to resume\n");
          process.exitCode = 130;
          return;
        }
        process.stdout.write(`\n${r.table}\n`);
        for (const c of r.claims) process.stdout.write(`${claimLine(c)}\n`);
        const seconds = (performance.now() - t0) / 1000;
        process.stdout.write(
          `\nreport: ${r.report}\nwall time: ${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s (warm-up ${r.warmup.source}: ${r.warmup.checkpoint})\n`,
        );
      } finally {
        interrupt.dispose();
      }
    });
}
