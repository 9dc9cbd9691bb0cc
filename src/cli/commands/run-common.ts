import type { Command } from "commander";
import { type Config, loadConfig } from "../../config/index.js";
import type { EvalMetrics } from "../../eval/summary.js";

export interface ConfigOpts {
  config?: string;
  set: string[];
  out: string;
}

/** The options every config-driven training/evaluation command takes. */
export function configOptions(cmd: Command, example: string): Command {
  return cmd
    .option("--config <file>", "config file (JSON; see configs/)")
    .option("--set <key=value...>", `config overrides, e.g. ${example}`, [])
    .requiredOption("--out <dir>", "output folder (a training run resumes from its newest checkpoint here)");
}

export async function resolveConfig(opts: ConfigOpts, extra: string[] = []): Promise<Config> {
  return loadConfig(opts.config, [...opts.set, ...extra]);
}

/**
 * Ctrl-C handling for a training run: the first SIGINT asks the run to stop after its current
 * step and save a checkpoint; a second one exits at once (the lock is then stale and is taken
 * over by the next run).
 */
export function interruptOnSigint(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) {
      process.stderr.write("rlev: second interrupt, exiting without a checkpoint\n");
      process.exit(130);
    }
    process.stderr.write(
      "\nrlev: interrupted; finishing the current step and saving a checkpoint (Ctrl-C again to quit now)\n",
    );
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  return { signal: controller.signal, dispose: () => process.off("SIGINT", onSigint) };
}

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? "   -" : `${(100 * x).toFixed(1).padStart(5)}`;

/** A short plain-text table of an evaluation: overall and per difficulty. */
export function formatEvalTable(title: string, m: EvalMetrics): string {
  const lines = [
    `${title}: Acc ${pct(m.acc).trim()}%  H-Acc ${pct(m.hAcc).trim()}%  length ${m.meanLength.toFixed(2)}  density ${m.valueDensity.toFixed(2)}  worked ${pct(m.workedShare).trim()}%  top20 ${pct(m.top20Acc).trim()}%  bottom20 ${pct(m.bottom20Acc).trim()}%  (n=${m.n})`,
    "  steps     n    acc  worked  acc(worked)  acc(direct)  length",
  ];
  for (const d of m.byDifficulty)
    lines.push(
      `  ${String(d.difficulty).padStart(5)} ${String(d.n).padStart(5)}  ${pct(d.acc)}   ${pct(d.workedShare)}        ${pct(d.accWorked)}        ${pct(d.accDirect)}  ${d.meanLength.toFixed(2).padStart(6)}`,
    );
  return `${lines.join("\n")}\n`;
}
