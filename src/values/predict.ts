import { type Item, valueSourceOf } from "../data/item.js";

/**
 * Predicted values (docs/method.md#predicted-values, [paper]): an LLM is asked, per question, for the points the
 * question would be worth in an exam of `total_score` points; value = score / total_score.
 */
export const VALUE_PREDICTION_PROMPT = `Below is a question from an exam worth {total_score} points in total.

Question:
{question}

Output a numeric score greater than 0 and up to {total_score} inclusive (decimals allowed) that reflects how much this problem would contribute in a {total_score}-point exam; respond with only the score.`;

export function valuePredictionPrompt(
  question: string,
  totalScore: number,
  template = VALUE_PREDICTION_PROMPT,
): string {
  return template.split("{total_score}").join(formatNumber(totalScore)).split("{question}").join(question);
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(12)));
}

export type ParsedScore = { ok: true; score: number } | { ok: false; reason: string };

/**
 * The score in a model's reply: the first number (an optional "points"/"分" after it is fine;
 * thinking models' <think>…</think> is skipped). It must lie in (0, total].
 */
export function parseScore(reply: string, total: number): ParsedScore {
  const text = reply.replace(/<think>[\s\S]*?<\/think>/g, "").replace(/\\boxed\{([^}]*)\}/g, "$1");
  const m = /-?\d+(?:\.\d+)?(?:\s*\/\s*\d+(?:\.\d+)?)?/.exec(text.replace(/,(?=\d{3}\b)/g, ""));
  if (!m) return { ok: false, reason: "no number in the reply" };
  let score: number;
  const frac = /^(-?\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(m[0]);
  // "5/150" is a score out of the total, not a fraction to evaluate.
  if (frac) score = Number(frac[1]);
  else score = Number(m[0]);
  if (!Number.isFinite(score)) return { ok: false, reason: `"${m[0]}" is not a finite number` };
  if (score <= 0) return { ok: false, reason: `score ${score} is not greater than 0` };
  if (score > total) return { ok: false, reason: `score ${score} exceeds the total ${total}` };
  return { ok: true, score };
}

export interface PredictionOutcome {
  item: Item;
  reply: string;
  parsed: ParsedScore;
  total: number;
}

/** The item with its predicted value; the true value is kept in meta when the item had one. */
export function withPredictedValue(item: Item, score: number, total: number, model: string): Item {
  const hadTrue = valueSourceOf(item) === "exam";
  return {
    ...item,
    value: score / total,
    meta: {
      ...item.meta,
      valueSource: "predicted",
      predictedScore: score,
      predictedTotal: total,
      predictedBy: model,
      ...(hadTrue ? { trueValue: item.value } : {}),
    },
  };
}

/** Pearson correlation; NaN when either side has no variance or fewer than 2 points. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n !== ys.length) throw new RangeError("pearson: lengths differ");
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

export interface PredictionReport {
  items: number;
  predicted: number;
  invalid: number;
  /** Items that had a true (exam) value to compare with. */
  compared: number;
  pearson: number | null;
  /** Share of compared items whose predicted value equals the true one (to 1e-9 relative). */
  exactMatch: number | null;
  meanAbsoluteError: number | null;
  invalidReasons: Record<string, number>;
}

/** Agreement of predicted with true values, over the items that had a true value. */
export function predictionReport(outcomes: readonly PredictionOutcome[]): PredictionReport {
  const truth: number[] = [];
  const pred: number[] = [];
  const invalidReasons: Record<string, number> = {};
  let predicted = 0;
  for (const o of outcomes) {
    if (!o.parsed.ok) {
      const key = o.parsed.reason.replace(/-?\d+(\.\d+)?/g, "N");
      invalidReasons[key] = (invalidReasons[key] ?? 0) + 1;
      continue;
    }
    predicted++;
    if (valueSourceOf(o.item) === "exam") {
      truth.push(o.item.value);
      pred.push(o.parsed.score / o.total);
    }
  }
  const n = truth.length;
  let exact = 0;
  let abs = 0;
  for (let i = 0; i < n; i++) {
    if (Math.abs(pred[i] - truth[i]) <= 1e-9 * Math.max(1, Math.abs(truth[i]))) exact++;
    abs += Math.abs(pred[i] - truth[i]);
  }
  const r = pearson(truth, pred);
  return {
    items: outcomes.length,
    predicted,
    invalid: outcomes.length - predicted,
    compared: n,
    pearson: n >= 2 && Number.isFinite(r) ? r : null,
    exactMatch: n > 0 ? exact / n : null,
    meanAbsoluteError: n > 0 ? abs / n : null,
    invalidReasons,
  };
}
