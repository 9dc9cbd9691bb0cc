import {
  classOfLevel,
  DIFFICULTY_CLASSES,
  type DifficultyClass,
  parseDifficultyClass,
  WEAK_SCALE,
  WEAK_SCORES,
} from "../data/difficulty.js";
import type { Item } from "../data/item.js";

export {
  classOfLevel,
  DIFFICULTY_CLASSES,
  type DifficultyClass,
  parseDifficultyClass,
  WEAK_SCALE,
  WEAK_SCORES,
} from "../data/difficulty.js";

/**
 * The weak value of a class (docs/method.md#weak-values, [paper]): its score over 100, i.e. 0.01, 0.02, 0.04, 0.06
 * or 0.08 (see data/difficulty.ts).
 */
export function weakValue(cls: DifficultyClass): number {
  return WEAK_SCORES[cls] / WEAK_SCALE;
}

/**
 * An item's difficulty class: `meta.difficultyClass` (a class name) when present, else the
 * numeric `difficulty` read as a level 1–5. Returns an error text naming the field otherwise.
 */
export function difficultyClassOf(item: Item): { cls: DifficultyClass } | { field: string; detail: string } {
  const named = item.meta.difficultyClass;
  if (named !== undefined) {
    const cls = typeof named === "string" ? parseDifficultyClass(named) : undefined;
    return cls
      ? { cls }
      : {
          field: "meta.difficultyClass",
          detail: `must be one of ${DIFFICULTY_CLASSES.join(", ")} (got ${JSON.stringify(named)})`,
        };
  }
  if (item.difficulty === undefined)
    return {
      field: "difficulty",
      detail: "missing: weak values need a difficulty level 1–5 or meta.difficultyClass",
    };
  const cls = classOfLevel(item.difficulty);
  return cls
    ? { cls }
    : { field: "difficulty", detail: `must be an integer level 1–5 (got ${item.difficulty})` };
}

/**
 * Gives an item the weak value of its class. Points become the class score and the exam total the
 * nominal 100, so `value = points / examTotal` still holds; `meta.valueSource = "weak"` marks the
 * value as a difficulty proxy rather than real exam points.
 */
export function withWeakValue(item: Item, cls: DifficultyClass): Item {
  const score = WEAK_SCORES[cls];
  const meta: Record<string, unknown> = {
    ...item.meta,
    valueSource: "weak",
    difficultyClass: cls,
    officialExamTotal: WEAK_SCALE,
    examTotalRule: "official",
  };
  if (item.meta.valueSource === undefined || item.meta.valueSource === "exam") {
    // Keep the exam-based numbers so the weak value can be compared with them.
    meta.examScore = { points: item.points, examTotal: item.examTotal, value: item.value };
  }
  delete meta.originalValue;
  delete meta.shuffleSeed;
  return { ...item, points: score, examTotal: WEAK_SCALE, value: score / WEAK_SCALE, meta };
}
