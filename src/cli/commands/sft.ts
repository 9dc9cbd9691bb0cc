import type { Command } from "commander";
import { runSft } from "../../train/sft.js";
import { formatEvalTable, trainingCommand } from "./run-common.js";

export function register(program: Command): void {
  trainingCommand(
    program
      .command("sft")
      .description("warm-up: supervised training on worked and direct solutions of the synthetic exams"),
    {
      setExample: "sft.steps=300 seed=1",
      run: runSft,
      summary: (r) =>
        `warm-up done: ${r.step} steps, ${r.trainSeconds.toFixed(1)} s of training; policy in ${r.finalCheckpoint}\n` +
        formatEvalTable("held-out, sampled (T=1)", r.sampled!) +
        formatEvalTable("held-out, greedy", r.greedy!),
    },
  );
}
