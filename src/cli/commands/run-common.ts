import type { Command } from "commander";
import { type Config, loadConfig } from "../../config/index.js";
import type { EvalMetrics } from "../../eval/summary.js";
import type { RunHooks, RunStatus } from "../../train/hooks.js";

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

export interface TrainingCommand<O extends ConfigOpts, R extends { status: RunStatus }> {
  /** Example overrides shown in the --set help. */
  setExample: string;
  /** Overrides implied by command-specific options (applied after --set). */
  overrides?: (opts: O) => string[];
  run(config: Config, outDir: string, hooks: RunHooks): Promise<R>;
  /** What to print on stdout once the run has completed. */
  summary(result: R, opts: O): string;
}

/**
 * The action of a config-driven training command (rlev sft, rlev train): takes the config options,
 * runs with progress on stderr and Ctrl-C handling, and exits 130 when interrupted (the run
 * resumes from its checkpoint); otherwise prints the summary.
 */
export function trainingCommand<O extends ConfigOpts, R extends { status: RunStatus }>(
  cmd: Command,
  spec: TrainingCommand<O, R>,
): Command {
  return configOptions(cmd, spec.setExample).action(async (opts: O) => {
    const cfg = await resolveConfig(opts, spec.overrides?.(opts) ?? []);
    const interrupt = interruptOnSigint();
    try {
      const r = await spec.run(cfg, opts.out, {
        signal: interrupt.signal,
        progress: true,
        log: (m) => process.stderr.write(`rlev: ${m}\n`),
      });
      if (r.status === "interrupted") {
        process.exitCode = 130;
        return;
      }
      process.stdout.write(spec.summary(r, opts));
    } finally {
      interrupt.dispose();
    }
  });
}

/**
 * Ctrl-C handling for a training run: the first SIGINT asks the run to stop after its current
 * step and save a checkpoint; a second one exits at once (the lock is then stale and is taken
 * over by the next run). After `dispose` (the run has returned), a SIGINT no longer kills the
 * process halfway through its summary and exit (Node's default action): it is reported, and a
 * second one exits at once.
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
  let lateInterrupts = 0;
  const onLateSigint = () => {
    if (++lateInterrupts > 1) process.exit(130);
    process.stderr.write(
      "\nrlev: interrupted after the run had returned; finishing (Ctrl-C again to quit now)\n",
    );
  };
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onSigint);
      // Listening to SIGINT does not keep the process alive: it still exits when its work is done.
      if (!process.listeners("SIGINT").includes(onLateSigint)) process.on("SIGINT", onLateSigint);
    },
  };
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
