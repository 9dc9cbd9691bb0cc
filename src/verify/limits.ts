/**
 * Hard bounds on the work one verification may do. They keep the synchronous, in-process path
 * finite on hostile text (the pool adds a wall-clock limit on top): anything past a bound is
 * reported as `unparseable`, never silently accepted.
 */
export const LIMITS = {
  /** Longest extracted answer (characters) that is parsed as mathematics. */
  maxAnswerChars: 4_000,
  /** Deepest nesting of groups, fractions, roots and function calls. */
  maxDepth: 64,
  /** Most tokens in one answer. */
  maxTokens: 2_000,
  /** Most alternatives a `\pm` expansion may produce (2^3). */
  maxPmAlternatives: 8,
  /** Most elements of a list, set, tuple or matrix. */
  maxItems: 256,
  /** Largest bit length of an exact intermediate (numerator or denominator). */
  maxExactBits: 65_536,
  /** Largest n for which n! is computed exactly (2006! has ~19k bits). */
  maxExactFactorial: 3_000,
  /** Longest expression (characters) handed to the computer-algebra system. */
  maxCasChars: 400,
  /** Largest |integer exponent| the computer-algebra system is given. */
  maxCasExponent: 1_000,
} as const;
