/**
 * The five difficulty classes of the paper's weak values (docs/method.md#weak-values, [paper]): primary, junior high,
 * senior high, university and PhD, scored 1, 2, 4, 6, 8 out of a nominal 100. MATH levels 1–5 map
 * onto the same classes in order. Kept in data/ because importers label items with them;
 * values/weak.ts builds the weak-value operations on top.
 */
export const DIFFICULTY_CLASSES = ["primary", "junior_high", "senior_high", "university", "phd"] as const;
export type DifficultyClass = (typeof DIFFICULTY_CLASSES)[number];
export const WEAK_SCORES: Readonly<Record<DifficultyClass, number>> = {
  primary: 1,
  junior_high: 2,
  senior_high: 4,
  university: 6,
  phd: 8,
};
/** The nominal exam total the weak scores are out of. */
export const WEAK_SCALE = 100;

/** Accepts class names in a few spellings: "junior high", "Junior-High", "PhD". */
export function parseDifficultyClass(name: string): DifficultyClass | undefined {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  return (DIFFICULTY_CLASSES as readonly string[]).includes(key) ? (key as DifficultyClass) : undefined;
}

/** Class of a 1-based level (MATH "Level 3" → senior_high); undefined outside 1–5. */
export function classOfLevel(level: number): DifficultyClass | undefined {
  return Number.isInteger(level) && level >= 1 && level <= 5 ? DIFFICULTY_CLASSES[level - 1] : undefined;
}

/** The points, exam total and value an item gets from its class: score / 100. */
export function weakScore(cls: DifficultyClass): { points: number; examTotal: number; value: number } {
  const points = WEAK_SCORES[cls];
  return { points, examTotal: WEAK_SCALE, value: points / WEAK_SCALE };
}
