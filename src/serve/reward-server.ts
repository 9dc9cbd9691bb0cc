import { type JsonRequest, type RunningServer, type ServiceListenOptions, startService } from "./http.js";
import { MetricsRegistry } from "./metrics.js";
import {
  extractResponse,
  type LabelContext,
  parseRewardRequest,
  type ResolvedLabel,
  type RewardRequest,
  resolveLabel,
} from "./reward-request.js";

/** One response to score, with its resolved label. */
export interface ScoreInput {
  response: string;
  label: ResolvedLabel;
}

/** How one response scored: `reward` drives learning, `score` is the verdict's score in [0, 1]. */
export interface SampleScore {
  reward: number;
  correct: boolean;
  /** Points earned / points: 1 or 0, or a fraction under partial credit (OpenRLHF's `scores`). */
  score: number;
  /** The value used (0 when the label carried none). */
  value: number;
  /** s(x) of the configured reward variant (reward = scale · correct). */
  scale: number;
  /** The extracted prediction, or null when none was found. */
  pred: string | null;
  /** True when verification hit its time limit (scored as wrong). */
  timedOut: boolean;
}

/** Scores a batch of responses; the reward server stays agnostic of how. */
export interface SampleScorer {
  score(batch: readonly ScoreInput[], signal: AbortSignal): Promise<SampleScore[]>;
}

/** OpenRLHF's answer (docs/method.md#interop-contracts); extra_logs hold numbers only, as OpenRLHF logs them as tensors. */
export interface RewardResponse {
  rewards: number[] | number;
  scores: number[] | number;
  extra_logs: Record<string, number[] | number>;
  /** Extracted predictions, only when asked for with `?preds=1` (verl's compute_score wants them; OpenRLHF does not). */
  preds?: Array<string | null> | string | null;
}

export const EXTRA_LOG_NAMES = [
  "value",
  "scale",
  "pred_found",
  "pred_len",
  "response_len",
  "prompt_found",
  "verify_timeout",
] as const;

export interface RewardServiceOptions {
  scorer: SampleScorer;
  labels: LabelContext;
  stripTokens: readonly string[];
}

export interface RewardServerOptions extends RewardServiceOptions, ServiceListenOptions {}

/** The request-to-response function of `POST /get_reward`, usable without HTTP. */
export class RewardService {
  readonly metrics: MetricsRegistry;
  private readonly samples;
  private readonly correct;
  private readonly rewardSum;
  private readonly timeouts;
  private readonly promptMissing;
  private readonly batchSizes;

  constructor(
    private readonly opts: RewardServiceOptions,
    metrics = new MetricsRegistry(),
  ) {
    this.metrics = metrics;
    this.samples = metrics.counter("rlev_reward_samples_total", "responses scored");
    this.correct = metrics.counter("rlev_reward_correct_total", "responses scored correct");
    this.rewardSum = metrics.counter("rlev_reward_reward_sum", "sum of rewards returned");
    this.timeouts = metrics.counter(
      "rlev_reward_verify_timeouts_total",
      "verifications that hit their time limit",
    );
    this.promptMissing = metrics.counter(
      "rlev_reward_prompt_not_found_total",
      "queries that did not contain their prompt (the whole query was verified)",
    );
    this.batchSizes = metrics.histogram(
      "rlev_reward_batch_size",
      "samples per request",
      [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096],
    );
  }

  async handle(body: unknown, signal: AbortSignal, withPreds = false): Promise<RewardResponse> {
    const req = parseRewardRequest(body);
    return this.score(req, signal, withPreds);
  }

  async score(req: RewardRequest, signal: AbortSignal, withPreds = false): Promise<RewardResponse> {
    const n = req.queries.length;
    // Resolve every label first, so that a bad one fails the request before any work.
    const inputs: ScoreInput[] = new Array(n);
    const promptFound: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const label = this.resolve(req.labels[i], i);
      const ex = extractResponse(req.queries[i], req.prompts[i], this.opts.stripTokens);
      inputs[i] = { response: ex.response, label };
      promptFound[i] = ex.promptFound ? 1 : 0;
    }
    const scored = n === 0 ? [] : await this.opts.scorer.score(inputs, signal);
    const rewards = new Array<number>(n);
    const scores = new Array<number>(n);
    const logs: Record<(typeof EXTRA_LOG_NAMES)[number], number[]> = {
      value: new Array(n),
      scale: new Array(n),
      pred_found: new Array(n),
      pred_len: new Array(n),
      response_len: new Array(n),
      prompt_found: promptFound,
      verify_timeout: new Array(n),
    };
    let correct = 0;
    let rewardSum = 0;
    let timeouts = 0;
    for (let i = 0; i < n; i++) {
      const s = scored[i];
      rewards[i] = s.reward;
      scores[i] = s.score;
      logs.value[i] = s.value;
      logs.scale[i] = s.scale;
      logs.pred_found[i] = s.pred === null ? 0 : 1;
      logs.pred_len[i] = s.pred === null ? 0 : s.pred.length;
      logs.response_len[i] = inputs[i].response.length;
      logs.verify_timeout[i] = s.timedOut ? 1 : 0;
      correct += scores[i];
      rewardSum += s.reward;
      timeouts += logs.verify_timeout[i];
    }
    this.samples.inc(undefined, n);
    this.correct.inc(undefined, correct);
    this.rewardSum.inc(undefined, rewardSum);
    this.timeouts.inc(undefined, timeouts);
    this.promptMissing.inc(undefined, n - promptFound.reduce((a, b) => a + b, 0));
    this.batchSizes.observe(n);
    const preds = withPreds ? scored.map((s) => s.pred) : undefined;
    if (req.single) {
      const one: Record<string, number> = {};
      for (const k of EXTRA_LOG_NAMES) one[k] = logs[k][0];
      return {
        rewards: rewards[0],
        scores: scores[0],
        extra_logs: one,
        ...(preds ? { preds: preds[0] } : {}),
      };
    }
    return { rewards, scores, extra_logs: logs, ...(preds ? { preds } : {}) };
  }

  // Labels repeat across the n samples of a prompt: caching the parse of JSON-string labels
  // saves most of the per-sample label work under OpenRLHF's grouped batches.
  private readonly labelCache = new Map<string, ResolvedLabel>();

  private resolve(raw: unknown, i: number): ResolvedLabel {
    if (typeof raw !== "string") return resolveLabel(raw, i, this.opts.labels);
    const hit = this.labelCache.get(raw);
    if (hit) return hit;
    const resolved = resolveLabel(raw, i, this.opts.labels);
    if (this.labelCache.size >= 4096) this.labelCache.clear();
    this.labelCache.set(raw, resolved);
    return resolved;
  }
}

/** Starts `POST /get_reward`, `GET /health` and `GET /metrics`. */
export async function startRewardServer(opts: RewardServerOptions): Promise<RunningServer> {
  const metrics = new MetricsRegistry();
  const service = new RewardService(opts, metrics);
  return startService(
    "rlev reward server",
    opts,
    metrics,
    [
      {
        method: "POST",
        path: "/get_reward",
        handler: async (req: JsonRequest) => ({
          body: await service.handle(req.body, req.signal, req.query.get("preds") === "1"),
        }),
      },
    ],
    () => ({ service: "reward", ...opts.info }),
  );
}
