import type { Command } from "commander";
import { runRl } from "../../train/rl.js";
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
      .command("train")
      .description(
        "RL from a warm-up checkpoint: sample, verify, reward, advantages, clipped PG with KL; resumable",
      )
      .option("--init <dir>", "warm-up checkpoint to start from (same as --set train.init=DIR)"),
    "reward.kind=rlev rl.estimator=rloo train.steps=60",
  ).action(async (opts: ConfigOpts & { init?: string }) => {
    const cfg = await resolveConfig(opts, opts.init ? [`train.init=${opts.init}`] : []);
    const interrupt = interruptOnSigint();
    try {
      const r = await runRl(cfg, opts.out, {
        signal: interrupt.signal,
        progress: true,
        log: (m) => process.stderr.write(`rlev: ${m}\n`),
      });
      if (r.status === "interrupted") {
        process.exitCode = 130;
        return;
      }
      process.stdout.write(
        `RL done: ${r.step} steps, ${r.trainSeconds.toFixed(1)} s; policy in ${r.finalCheckpoint}; log in ${opts.out}/metrics.jsonl\n`,
      );
      if (r.final) process.stdout.write(formatEvalTable("held-out, greedy", r.final));
    } finally {
      interrupt.dispose();
    }
  });
}
