import type { Command } from "commander";
import {
  type EndpointEvalCliOptions,
  isEndpointEval,
  registerEndpointEvalOptions,
  runEndpointEvalCommand,
} from "../../eval/endpoint.js";
import { runEval } from "../../eval/run.js";
import { UsageError } from "../../util/errors.js";
import { type ConfigOpts, configOptions, formatEvalTable, resolveConfig } from "./run-common.js";

export function register(program: Command): void {
  // `--endpoint URL --model NAME --data FILE` evaluates a model behind an OpenAI-compatible API instead.
  const cmd = configOptions(
    program
      .command("eval")
      .description("greedy evaluation of a checkpoint on held-out exams: responses.jsonl and metrics.json")
      .option("--checkpoint <dir>", "checkpoint to evaluate (same as --set eval.checkpoint=DIR)"),
    "eval.limit=500 eval.bootstrap=0",
  );
  registerEndpointEvalOptions(cmd).action(
    async (opts: ConfigOpts & EndpointEvalCliOptions & { checkpoint?: string }) => {
      if (isEndpointEval(opts)) return runEndpointEvalCommand(opts);
      const cfg = await resolveConfig(opts, opts.checkpoint ? [`eval.checkpoint=${opts.checkpoint}`] : []);
      if (!cfg.eval.checkpoint) throw new UsageError("name the checkpoint to evaluate: --checkpoint DIR");
      const r = await runEval(cfg, cfg.eval.checkpoint, opts.out);
      process.stdout.write(formatEvalTable(`${cfg.eval.checkpoint} on ${cfg.eval.split}, greedy`, r.metrics));
      const ci = r.metrics.intervals;
      if (ci)
        process.stdout.write(
          `95% bootstrap CI: Acc [${(100 * ci.acc.lo).toFixed(1)}, ${(100 * ci.acc.hi).toFixed(1)}]  H-Acc [${(100 * ci.hAcc.lo).toFixed(1)}, ${(100 * ci.hAcc.hi).toFixed(1)}]\n`,
        );
      process.stdout.write(`wrote ${r.files.responses} and ${r.files.metrics}\n`);
    },
  );
}
