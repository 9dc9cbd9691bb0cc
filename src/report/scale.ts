/** Linear scales and "nice" axis ticks (multiples of 1, 2 or 5 times a power of ten). */

export interface TickedDomain {
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

/** The 1-2-5 step closest to `span / count`. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  const nice = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
  return nice * magnitude;
}

/** Rounds away binary noise so ticks print as 0.3, not 0.30000000000000004. */
function clean(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const r = Number(v.toFixed(Math.min(20, decimals)));
  return Object.is(r, -0) ? 0 : r;
}

/**
 * A domain covering [lo, hi] with about `count` ticks. Ends that are not fixed (`fixedMin`,
 * `fixedMax`) are widened outward to the nearest tick so the data never touches the frame edge
 * unlabelled; fixed ends stay exactly where given.
 */
export function niceDomain(
  lo: number,
  hi: number,
  count = 5,
  fixed: { min?: number; max?: number } = {},
): TickedDomain {
  let a = fixed.min ?? lo;
  let b = fixed.max ?? hi;
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    a = 0;
    b = 1;
  }
  if (a > b) [a, b] = [b, a];
  if (a === b) {
    const pad = a === 0 ? 1 : Math.abs(a) * 0.1;
    if (fixed.min === undefined) a -= pad;
    if (fixed.max === undefined) b += pad;
    if (a === b) b = a + pad;
  }
  const step = niceStep(b - a, count);
  const min = fixed.min ?? clean(Math.floor(a / step + 1e-9) * step, step);
  const max = fixed.max ?? clean(Math.ceil(b / step - 1e-9) * step, step);
  const ticks: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  for (let k = first; k <= last; k++) ticks.push(clean(k * step, step));
  return { min, max, step, ticks };
}

/** Maps [d0, d1] linearly onto [r0, r1]; a degenerate domain maps to the range midpoint. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  if (span === 0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}
