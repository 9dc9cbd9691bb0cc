import type { Command } from "commander";
import { runRl } from "../../train/rl.js";
import { type ConfigOpts, formatEvalTable, trainingCommand } from "./run-common.js";

export function register(program: Command): void {
  trainingCommand(
    program
      .command("train")
      .description(
        "RL from a warm-up checkpoint: sample, verify, reward, advantages, clipped PG with KL; resumable",
      )
      .option("--init <dir>", "warm-up checkpoint to start from (same as --set train.init=DIR)"),
    {
      setExample: "reward.kind=rlev rl.estimator=rloo train.steps=60",
      overrides: (opts: ConfigOpts & { init?: string }) => (opts.init ? [`train.init=${opts.init}`] : []),
      run: runRl,
      summary: (r, opts) =>
        `RL done: ${r.step} steps, ${r.trainSeconds.toFixed(1)} s; policy in ${r.finalCheckpoint}; log in ${opts.out}/metrics.jsonl\n` +
        (r.final ? formatEvalTable("held-out, greedy", r.final) : ""),
    },
  );
}
