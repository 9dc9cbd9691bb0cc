import type { Command } from "commander";
import { type Config, loadConfig } from "../../config/index.js";
import type { Item } from "../../data/item.js";
import { readItemsFromPath } from "../../data/items-io.js";
import { type GradingOptions, multiSelectRuleOption } from "../../eval/grading.js";
import { EmbeddedPolicy } from "../../model/embedded-policy.js";
import { estimatorWarning } from "../../rl/value-guard.js";
import { closeOnSignals, type HttpLimits, type RunningServer } from "../../serve/http.js";
import { startPolicyServer } from "../../serve/policy-server.js";
import { makeRewardScorer, rewardNeedsValue } from "../../serve/reward-scorer.js";
import { startRewardServer } from "../../serve/reward-server.js";
import { UsageError } from "../../util/errors.js";
import { VerifierPool } from "../../verify/pool.js";

interface ServeOpts {
  host?: string;
  port?: string;
  token?: string;
  config?: string;
  set: string[];
}

function limitsOf(cfg: Config): HttpLimits {
  const s = cfg.serve;
  return {
    maxBodyBytes: s.maxBodyBytes,
    maxPending: s.maxPending,
    maxBufferedBytes: s.maxBufferedBytes,
    requestTimeoutMs: s.requestTimeoutMs,
    drainTimeoutMs: s.drainTimeoutMs,
  };
}

function portOf(opt: string | undefined, fallback: number): number {
  if (opt === undefined) return fallback;
  const p = Number(opt);
  if (!Number.isInteger(p) || p < 0 || p > 65535)
    throw new UsageError(`--port must be 0..65535, got "${opt}"`);
  return p;
}

function tokenOf(opts: ServeOpts, cfg: Config): string | undefined {
  return opts.token ?? process.env.RLEV_SERVE_TOKEN ?? cfg.serve.token ?? undefined;
}

/** Runs until SIGTERM/SIGINT, then drains the requests in flight and returns. */
function serveUntilSignal(server: RunningServer): Promise<void> {
  return new Promise((resolve) => {
    closeOnSignals(server, () => {
      process.stderr.write("rlev: server closed\n");
      resolve();
    });
  });
}

function common(cmd: Command): Command {
  return cmd
    .option("--host <addr>", "address to listen on (default 127.0.0.1: loopback only)")
    .option("--port <n>", "port (0 picks a free one)")
    .option("--token <secret>", "require 'Authorization: Bearer <secret>' (default: $RLEV_SERVE_TOKEN)")
    .option("--config <file>", "config file (sections serve, reward)")
    .option("--set <key=value...>", "config overrides, e.g. reward.kind=rlev serve.maxPending=512", []);
}

export function register(program: Command): void {
  const serve = program
    .command("serve")
    .description("HTTP servers: the RLEV reward for OpenRLHF/verl, the policy behind the OpenAI API");

  common(serve.command("reward"))
    .description(
      "OpenRLHF remote reward: POST /get_reward {query, prompts, labels} -> {rewards, scores, extra_logs}",
    )
    .option(
      "--data <path>",
      "items (.jsonl/.parquet or a folder): labels may then be bare item ids; train items give s̄ and the shuffle",
    )
    .option(
      "--estimator <name>",
      "the advantage estimator the trainer uses (e.g. rloo, grpo, group_norm): warns when it cancels the value",
    )
    .option(
      "--multi-select <rule>",
      "multiple-select credit as rlev grade takes it: strict, half = six-three-zero, five-two-zero, per-option (default: reward.partialCredit)",
    )
    .option("--approximate", "accept rounded decimals for exact symbolic references (as rlev grade)")
    .action(
      async (
        opts: ServeOpts & { data?: string; estimator?: string; multiSelect?: string; approximate?: boolean },
      ) => {
        const cfg = await loadConfig(opts.config, opts.set);
        const grading: GradingOptions = {
          ...(opts.multiSelect !== undefined ? { multiSelect: multiSelectRuleOption(opts.multiSelect) } : {}),
          approximate: opts.approximate ?? false,
        };
        const warning =
          opts.estimator === undefined
            ? null
            : estimatorWarning(opts.estimator, rewardNeedsValue(cfg.reward.kind));
        if (warning) process.stderr.write(`rlev: ${warning}\n`);
        let items: Item[] | undefined;
        if (opts.data) {
          items = [];
          for await (const { item } of readItemsFromPath(opts.data)) items.push(item);
        }
        const train = items
          ? items.some((i) => i.split === "train")
            ? items.filter((i) => i.split === "train")
            : items
          : undefined;
        // The guard: very long responses are verified in a worker with a hard time limit.
        // Started on first use, so that a server that never sees one spawns no worker.
        let pool: VerifierPool | undefined;
        const scorer = makeRewardScorer({
          reward: cfg.reward,
          train,
          partialCredit: cfg.reward.partialCredit,
          grading,
          guard: {
            verify: (inputs) => {
              if (!pool) pool = new VerifierPool({ threads: 1, timeoutMs: cfg.serve.verifyTimeoutMs });
              return pool.verifyMany(inputs);
            },
          },
          guardAboveChars: cfg.serve.guardAboveChars,
        });
        const server = await startRewardServer({
          scorer,
          labels: {
            byId: items ? new Map(items.map((i) => [i.id, i])) : undefined,
            defaultAnswerType: cfg.serve.defaultAnswerType,
            needsValue: rewardNeedsValue(cfg.reward.kind),
          },
          stripTokens: cfg.serve.stripTokens,
          host: opts.host ?? cfg.serve.host,
          port: portOf(opts.port, cfg.serve.rewardPort),
          token: tokenOf(opts, cfg),
          limits: limitsOf(cfg),
          info: { reward: cfg.reward.kind, alpha: cfg.reward.alpha, items: items?.length ?? 0 },
        });
        const ctx = scorer.rewardFn.context;
        process.stderr.write(
          `rlev: reward server listening on ${server.url}/get_reward (reward ${cfg.reward.kind}, alpha ${cfg.reward.alpha}` +
            (ctx.uniformScale !== null ? `, s̄ ${ctx.uniformScale.toFixed(6)}` : "") +
            (items ? `, ${items.length} items loaded` : "") +
            ")\n",
        );
        await serveUntilSignal(server);
        await pool?.close();
      },
    );

  common(serve.command("policy"))
    .description(
      "the embedded model behind OpenAI-compatible /v1/completions, /v1/chat/completions, /v1/models",
    )
    .requiredOption("--checkpoint <dir>", "checkpoint folder written by rlev sft / rlev train")
    .option("--model-name <name>", "model id reported by /v1/models (default from serve.modelName)")
    .option("--threads <n>", "engine threads (0: all cores)")
    .action(async (opts: ServeOpts & { checkpoint: string; modelName?: string; threads?: string }) => {
      const cfg = await loadConfig(opts.config, opts.set);
      const policy = await EmbeddedPolicy.fromCheckpoint(opts.checkpoint, {
        threads: opts.threads === undefined ? undefined : Number(opts.threads),
      });
      if (!policy.tokenizer) throw new UsageError(`${opts.checkpoint}: the checkpoint has no tokenizer`);
      const modelName = opts.modelName ?? cfg.serve.modelName;
      const server = await startPolicyServer({
        policy,
        tokenizer: policy.tokenizer,
        contextLength: policy.model.contextLength,
        modelName,
        maxBatch: cfg.serve.policyMaxBatch,
        seed: cfg.seed,
        host: opts.host ?? cfg.serve.host,
        port: portOf(opts.port, cfg.serve.policyPort),
        token: tokenOf(opts, cfg),
        limits: limitsOf(cfg),
        info: { checkpoint: opts.checkpoint, parameters: policy.parameterCount },
      });
      process.stderr.write(`rlev: policy server listening on ${server.url}/v1 (model "${modelName}")\n`);
      await serveUntilSignal(server);
    });
}
