import type { Command } from "commander";
import { runSft } from "../../train/sft.js";
import {
  type ConfigOpts,
  configOptions,
  formatEvalTable,
  interruptOnSigint,
  resolveConfig,
} from "./run-common.js";

export function register(program: Command): void {
  configOptions(
    program
      .command("sft")
      .description("warm-up: supervised training on worked and direct solutions of the synthetic exams"),
    "sft.steps=300 seed=1",
  ).action(async (opts: ConfigOpts) => {
    const cfg = await resolveConfig(opts);
    const interrupt = interruptOnSigint();
    try {
      const r = await runSft(cfg, opts.out, {
        signal: interrupt.signal,
        progress: true,
        log: (m) => process.stderr.write(`rlev: ${m}\n`),
      });
      if (r.status === "interrupted") {
        process.exitCode = 130;
        return;
      }
      process.stdout.write(
        `warm-up done: ${r.step} steps, ${r.trainSeconds.toFixed(1)} s of training; policy in ${r.finalCheckpoint}\n`,
      );
      process.stdout.write(formatEvalTable("held-out, sampled (T=1)", r.sampled!));
      process.stdout.write(formatEvalTable("held-out, greedy", r.greedy!));
    } finally {
      interrupt.dispose();
    }
  });
}
