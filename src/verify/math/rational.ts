import { LIMITS } from "../limits.js";

/**
 * Exact rational numbers over BigInt, always reduced with a positive denominator. Operations
 * return null instead of growing past `LIMITS.maxExactBits`, so exact arithmetic stays bounded:
 * the caller then falls back to floating point (and, where that cannot decide, the CAS).
 */
export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

const ZERO = 0n;
const ONE = 1n;

function abs(x: bigint): bigint {
  return x < ZERO ? -x : x;
}

export function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== ZERO) [a, b] = [b, a % b];
  return a;
}

function bitLength(x: bigint): number {
  return abs(x).toString(16).length * 4;
}

function tooBig(x: bigint): boolean {
  // Cheap pre-check before the exact bit count.
  return x > ONE << 1024n || x < -(ONE << 1024n) ? bitLength(x) > LIMITS.maxExactBits : false;
}

export function rat(n: bigint, d: bigint = ONE): Rational | null {
  if (d === ZERO) return null;
  if (d < ZERO) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  if (g !== ONE && g !== ZERO) {
    n /= g;
    d /= g;
  }
  if (tooBig(n) || tooBig(d)) return null;
  return { n, d };
}

export const R0: Rational = { n: ZERO, d: ONE };
export const R1: Rational = { n: ONE, d: ONE };

export function fromInt(n: number | bigint): Rational {
  return { n: BigInt(n), d: ONE };
}

/** Parses a decimal literal ("12", "-0.5", ".35625", "1.5e-3") exactly. */
export function parseDecimal(text: string): Rational | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const sign = m[1] === "-" ? -ONE : ONE;
  const intPart = m[2] || "0";
  const frac = m[3] ?? "";
  let exp = m[4] ? Number(m[4]) : 0;
  exp -= frac.length;
  if (Math.abs(exp) > 4_000) return null;
  const digits = BigInt(intPart + frac) * sign;
  return exp >= 0 ? rat(digits * 10n ** BigInt(exp)) : rat(digits, 10n ** BigInt(-exp));
}

export function add(a: Rational, b: Rational): Rational | null {
  return rat(a.n * b.d + b.n * a.d, a.d * b.d);
}
export function sub(a: Rational, b: Rational): Rational | null {
  return rat(a.n * b.d - b.n * a.d, a.d * b.d);
}
export function mul(a: Rational, b: Rational): Rational | null {
  return rat(a.n * b.n, a.d * b.d);
}
export function div(a: Rational, b: Rational): Rational | null {
  return b.n === ZERO ? null : rat(a.n * b.d, a.d * b.n);
}
export function neg(a: Rational): Rational {
  return { n: -a.n, d: a.d };
}
export function equals(a: Rational, b: Rational): boolean {
  return a.n === b.n && a.d === b.d;
}
export function isInteger(a: Rational): boolean {
  return a.d === ONE;
}

/** a^k for an integer k, refusing results past the bit limit before computing them. */
export function powInt(a: Rational, k: bigint): Rational | null {
  if (k === ZERO) return a.n === ZERO ? null : R1;
  if (a.n === ZERO) return k > ZERO ? R0 : null;
  const base = k < ZERO ? { n: a.d, d: a.n } : a;
  const e = abs(k);
  const bits = Math.max(bitLength(base.n), bitLength(base.d));
  if (bits > 1 && Number(e) * (bits - 1) > LIMITS.maxExactBits) return null;
  if (e > 1_000_000n) return abs(base.n) === ONE && base.d === ONE ? rat(base.n ** (e % 2n)) : null;
  return rat(base.n ** e, base.d ** e);
}

/** Integer square root of a non-negative BigInt (Newton's method). */
export function isqrt(x: bigint): bigint {
  if (x < 2n) return x;
  let r = BigInt(Math.floor(Math.sqrt(Number(x))));
  // Newton steps correct the float estimate for numbers past 2^53.
  for (;;) {
    const next = (r + x / r) >> 1n;
    if (abs(next - r) <= ONE) {
      r = next;
      break;
    }
    r = next;
  }
  while (r * r > x) r--;
  while ((r + ONE) * (r + ONE) <= x) r++;
  return r;
}

/** The exact k-th root when it is rational (perfect powers), else null. */
export function rootExact(a: Rational, k: number): Rational | null {
  if (k === 1) return a;
  if (a.n < ZERO && k % 2 === 0) return null;
  const rootOf = (x: bigint): bigint | null => {
    const s = x < ZERO ? -ONE : ONE;
    const ax = abs(x);
    let r: bigint;
    if (k === 2) r = isqrt(ax);
    else {
      const f = Number(ax);
      if (!Number.isFinite(f)) return null;
      r = BigInt(Math.round(f ** (1 / k)));
    }
    for (const c of [r - ONE, r, r + ONE]) if (c >= ZERO && c ** BigInt(k) === ax) return s * c;
    return null;
  };
  const n = rootOf(a.n);
  const d = rootOf(a.d);
  return n === null || d === null ? null : rat(n, d);
}

export function factorial(a: Rational): Rational | null {
  if (a.d !== ONE || a.n < ZERO || a.n > BigInt(LIMITS.maxExactFactorial)) return null;
  let r = ONE;
  for (let i = 2n; i <= a.n; i++) r *= i;
  return { n: r, d: ONE };
}

export function binomial(n: Rational, k: Rational): Rational | null {
  if (n.d !== ONE || k.d !== ONE || k.n < ZERO || n.n < ZERO || k.n > n.n) return null;
  if (n.n > BigInt(LIMITS.maxExactFactorial)) return null;
  let r = ONE;
  // biome-ignore lint/complexity/useMathMinMax: BigInt operands; Math.min does not take them.
  const kk = k.n < n.n - k.n ? k.n : n.n - k.n;
  for (let i = ONE; i <= kk; i++) r = (r * (n.n - kk + i)) / i;
  return { n: r, d: ONE };
}

/** Nearest double; exact for ordinary sizes, and correct in sign and rough size for huge ones. */
export function toNumber(a: Rational): number {
  const x = Number(a.n) / Number(a.d);
  if (Number.isFinite(x) && x !== 0) return x;
  if (a.n === ZERO) return 0;
  // Both parts overflowed: scale them down together.
  const shift = BigInt(Math.max(0, Math.max(bitLength(a.n), bitLength(a.d)) - 1000));
  return Number(a.n >> shift) / Number(a.d >> shift);
}

/** True when the value has a terminating decimal expansion (denominator 2^a 5^b). */
export function isTerminatingDecimal(a: Rational): boolean {
  let d = a.d;
  while (d % 2n === ZERO) d /= 2n;
  while (d % 5n === ZERO) d /= 5n;
  return d === ONE;
}

export function formatRational(a: Rational): string {
  return a.d === ONE ? a.n.toString() : `${a.n}/${a.d}`;
}
