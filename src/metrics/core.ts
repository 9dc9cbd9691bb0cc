/**
 * The evaluation metrics of docs/method.md#metrics, one function per formula. Each takes optional weights
 * (default 1) so that the same function computes the estimate and every bootstrap resample.
 */

type Numbers = ArrayLike<number>;

function weightAt(weights: Numbers | undefined, i: number): number {
  return weights === undefined ? 1 : weights[i];
}

/** Acc (docs/method.md#metrics): the share of responses that are correct, `Σ w·score / Σ w` (partial scores count fractionally). */
export function accuracy(scores: Numbers, weights?: Numbers): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < scores.length; i++) {
    const w = weightAt(weights, i);
    num += w * scores[i];
    den += w;
  }
  return den === 0 ? Number.NaN : num / den;
}

/**
 * H-Acc, human-aligned accuracy (docs/method.md#metrics): `Σ_correct v(x) / Σ_all v(x)` over responses; a partial
 * score earns that fraction of its value: `Σ w·v·score / Σ w·v`.
 */
export function hAcc(values: Numbers, scores: Numbers, weights?: Numbers): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < values.length; i++) {
    const wv = weightAt(weights, i) * values[i];
    num += wv * scores[i];
    den += wv;
  }
  return den === 0 ? Number.NaN : num / den;
}

/** Response length (docs/method.md#metrics): mean tokens per response. */
export function meanResponseLength(lengths: Numbers, weights?: Numbers): number {
  return accuracy(lengths, weights);
}

/**
 * Value density (docs/method.md#metrics): H-Acc in percent divided by the mean response length in tokens
 * (the paper's 55.0 / 168.1 = 0.33). `hAccFraction` is H-Acc as a fraction (0.55), as hAcc returns it.
 */
export function valueDensity(hAccFraction: number, meanLength: number): number {
  return (100 * hAccFraction) / meanLength;
}

/**
 * Unbiased pass@k (docs/method.md#metrics, Chen et al. 2021): `1 − C(n−c, k)/C(n, k)` for n samples of which c
 * are correct, in the product form `1 − Π_{i=n−c+1}^{n} (1 − k/i)`, which never forms the large
 * binomials.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!(Number.isInteger(n) && Number.isInteger(c) && Number.isInteger(k)))
    throw new RangeError(`pass@k needs integers, got n=${n}, c=${c}, k=${k}`);
  if (k < 1 || k > n) throw new RangeError(`pass@k needs 1 ≤ k ≤ n, got k=${k}, n=${n}`);
  if (c < 0 || c > n) throw new RangeError(`pass@k needs 0 ≤ c ≤ n, got c=${c}, n=${n}`);
  if (n - c < k) return 1;
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}

/**
 * mean@n: the mean over prompts of the mean score of each prompt's n samples (what OpenRLHF
 * logs as "pass1", docs/method.md#known-pitfalls); it equals Acc when every prompt has the same n.
 */
export function meanAtN(itemMeanScores: Numbers, weights?: Numbers): number {
  return accuracy(itemMeanScores, weights);
}

/**
 * Accuracy on the `fraction` of prompts with the highest ("top") or lowest ("bottom") value
 * (docs/method.md#metrics: top/bottom 20%). Per prompt, `accs` is its mean score and `weights` its multiplicity.
 *
 * Ties: the slice holds exactly `fraction × Σ weights` of prompt weight. Prompts strictly beyond
 * the cut-off value are in fully; prompts tied at the cut-off value share what remains equally
 * (each with the same fractional weight), so the result never depends on how tied prompts are
 * ordered — which matters with weak values (five distinct values in all).
 */
export function valueSliceAccuracy(
  values: Numbers,
  accs: Numbers,
  fraction: number,
  which: "top" | "bottom",
  weights?: Numbers,
): number {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`fraction must lie in (0, 1], got ${fraction}`);
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) =>
    which === "top" ? values[b] - values[a] : values[a] - values[b],
  );
  return sliceOfOrdered(order, values, accs, fraction, weights);
}

/** {@link valueSliceAccuracy} over a precomputed order (most extreme value first), for bootstraps. */
export function sliceOfOrdered(
  order: readonly number[],
  values: Numbers,
  accs: Numbers,
  fraction: number,
  weights?: Numbers,
): number {
  let total = 0;
  for (const i of order) total += weightAt(weights, i);
  const capacity = fraction * total;
  if (capacity === 0) return Number.NaN;
  let taken = 0;
  let sum = 0;
  let p = 0;
  while (p < order.length && taken < capacity) {
    // The run of prompts tied at this value.
    let q = p;
    let runWeight = 0;
    let runSum = 0;
    while (q < order.length && values[order[q]] === values[order[p]]) {
      const w = weightAt(weights, order[q]);
      runWeight += w;
      runSum += w * accs[order[q]];
      q++;
    }
    const share = Math.min(1, (capacity - taken) / (runWeight || 1));
    if (runWeight > 0) {
      taken += share * runWeight;
      sum += share * runSum;
    }
    p = q;
  }
  return sum / capacity;
}
