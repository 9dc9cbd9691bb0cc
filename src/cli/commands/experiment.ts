import type { Command } from "commander";
import { claimLine } from "../../experiment/analysis.js";
import { loadExperimentConfig } from "../../experiment/config.js";
import { finishedRecords, planGrid, runExperiment } from "../../experiment/experiment.js";
import { buildExperimentReport } from "../../experiment/experiment-report.js";
import { mergeShardResults, parseShard, prepareWarmups, runShard } from "../../experiment/shard.js";
import { UsageError } from "../../util/errors.js";
import { parseSeeds, positiveInt } from "./demo.js";
import { interruptOnSigint } from "./run-common.js";

interface ExperimentOpts {
  config: string;
  set: string[];
  jobs?: string;
  only?: string[];
  seeds?: string;
  results?: string;
  report?: boolean;
  output?: string;
  png?: string | false;
  list?: boolean;
  saveWarmup?: boolean;
  quiet?: boolean;
  shard?: string;
  prepare?: boolean;
  merge?: string[];
}

export function register(program: Command): void {
  program
    .command("experiment")
    .description(
      "run the experiment grid of a config (estimators × rewards × sizes, ablations, α sweep, weak values; ≥5 seeds per cell): each finished (cell, seed) is appended to the results file, a rerun skips finished ones; --report builds the HTML report and the README table from whatever has finished",
    )
    .option("--config <file>", "experiment configuration", "configs/experiment.json")
    .option("--set <key=value...>", "overrides of the shared rlev config, e.g. train.steps=40", [])
    .option(
      "--jobs <n>",
      "runs in parallel child processes, one engine thread each (default: the config's, 2)",
    )
    .option("--only <pattern...>", "only cells whose id matches (`*` wildcard), e.g. 'base/rloo/*'")
    .option("--seeds <list>", "seeds, e.g. 1-5 or 1,2 (default: the config's)")
    .option("--results <file>", "results file (default: the config's, results/experiment/results.jsonl)")
    .option("--list", "list the cells and how many seeds of each have finished; run nothing")
    .option(
      "--report",
      "build the report, the Markdown table and the claims from the finished runs; run nothing",
    )
    .option("--output <file>", "with --report: the HTML file (default: the config's)")
    .option(
      "--png <file>",
      "with --report: the key chart as PNG (default: the config's; needs Debian's chromium)",
    )
    .option("--no-png", "with --report: no PNG")
    .option("--save-warmup", "install rebuilt warm-ups at their committed checkpoint paths")
    .option("--quiet", "no progress lines")
    .option(
      "--shard <spec>",
      "run only this shard's share of the (cell, seed) runs into its own results file: i/n (0-based), slurm (SLURM_ARRAY_TASK_ID/_COUNT) or k8s/n (JOB_COMPLETION_INDEX); needs --prepare first",
    )
    .option(
      "--prepare",
      "build or find the warm-ups of the selected cells and run nothing (before the shards)",
    )
    .option(
      "--merge <paths...>",
      "merge shard results files (or directories of *.shard-i-of-n.jsonl) into the results file; run nothing",
    )
    .action(async (opts: ExperimentOpts) => {
      const jobs = positiveInt("--jobs", opts.jobs);
      const seeds = parseSeeds(opts.seeds);
      const log = opts.quiet ? undefined : (m: string) => process.stderr.write(`rlev: ${m}\n`);
      const modes = [opts.list, opts.report, opts.prepare, opts.merge, opts.shard].filter(
        (x) => x !== undefined,
      );
      if (modes.length > 1)
        throw new UsageError("--list, --report, --prepare, --merge and --shard go one at a time");
      if (opts.merge) {
        const plan = await loadExperimentConfig(opts.config, opts.set);
        const m = await mergeShardResults(opts.merge, opts.results ?? plan.results);
        for (const s of m.skipped)
          log?.(`${s.file}: skipped unreadable line(s) ${s.lines.join(", ")} (a torn write is ignored)`);
        if (m.missingShards.length) log?.(`no results file for shard(s) ${m.missingShards.join(", ")}`);
        process.stdout.write(
          `merged ${m.records} record(s) from ${m.files.length} file(s) into ${m.output}` +
            (m.duplicates ? ` (${m.duplicates} identical duplicate(s) kept once)` : "") +
            "\n",
        );
        return;
      }
      if (opts.prepare) {
        const warmups = await prepareWarmups({
          configFile: opts.config,
          overrides: opts.set,
          only: opts.only,
          jobs,
          saveWarmup: opts.saveWarmup,
          log,
        });
        for (const [size, w] of warmups)
          process.stdout.write(`warm-up ${size}: ${w?.checkpoint} (${w?.source}, sha256 ${w?.digest})\n`);
        return;
      }
      if (opts.list) {
        const plan = await planGrid({ configFile: opts.config, overrides: opts.set, only: opts.only, seeds });
        const { current } = await finishedRecords(plan, opts.results ?? plan.exp.results);
        const perSeeds = (seeds ?? plan.exp.seeds).length;
        for (const cell of plan.cells) {
          const done = [...current.values()].filter((r) => r.cell === cell.id).length;
          const warm = plan.warmups.get(cell.size) ? "" : "  (no matching warm-up yet)";
          process.stdout.write(
            `${cell.id.padEnd(36)} ${done}/${perSeeds} seeds  [${cell.blocks.join(", ")}]${warm}\n`,
          );
        }
        process.stdout.write(`${current.size} of ${plan.cells.length * perSeeds} runs finished\n`);
        return;
      }
      if (opts.report) {
        const r = await buildExperimentReport({
          configFile: opts.config,
          overrides: opts.set,
          results: opts.results,
          output: opts.output,
          png: opts.png === false ? null : opts.png,
          command: ["rlev", ...process.argv.slice(2)].join(" "),
          seeds,
        });
        process.stdout.write(`${r.table}\n`);
        for (const c of r.claims) process.stdout.write(`${claimLine(c)}\n`);
        process.stdout.write(
          `\n${r.finished} of ${r.total} runs finished\nreport: ${r.report}\nMarkdown table: ${r.markdown}\n`,
        );
        return;
      }
      const interrupt = interruptOnSigint();
      try {
        const common = {
          configFile: opts.config,
          overrides: opts.set,
          jobs,
          only: opts.only,
          seeds,
          results: opts.results,
          saveWarmup: opts.saveWarmup,
          signal: interrupt.signal,
          log,
        };
        const r = opts.shard
          ? await runShard({ ...common, shard: parseShard(opts.shard) })
          : await runExperiment(common);
        process.stdout.write(
          `${r.finished} run(s) finished now, ${r.skipped} earlier; ${r.failed.length} failed, ${r.interrupted} interrupted, ${r.pending} not started\n`,
        );
        for (const f of r.failed)
          process.stdout.write(
            `  failed: ${f.job.cell} seed ${f.job.seed}: ${f.error instanceof Error ? f.error.message : String(f.error)}\n`,
          );
        if (r.failed.length) process.exitCode = 1;
        else if (r.interrupted || interrupt.signal.aborted) process.exitCode = 130;
      } finally {
        interrupt.dispose();
      }
    });
}
