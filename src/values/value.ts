import type { ExamTotalRule, Item } from "../data/item.js";
import { UsageError } from "../util/errors.js";

/**
 * Value of a prompt (docs/method.md#exam-values, [paper]): `v = s_ij / T_i`, the points of question j over the total
 * points of its exam i.
 */
export function examValue(points: number, examTotal: number): number {
  if (!(points > 0) || !(examTotal > 0))
    throw new RangeError(`points (${points}) and exam total (${examTotal}) must be > 0`);
  return points / examTotal;
}

/** Items that count toward their exam's sum: everything but flagged within-exam duplicates. */
export function countsTowardExam(item: Pick<Item, "meta">): boolean {
  const dup = item.meta?.duplicateOf;
  return dup === undefined || dup === null;
}

/** Sum of the points of each exam's items in the data set (within-exam duplicates excluded). */
export function examPointsInDataset(
  items: readonly Pick<Item, "examId" | "points" | "meta">[],
): Map<string, number> {
  const sums = new Map<string, number>();
  for (const it of items) {
    if (!countsTowardExam(it)) continue;
    sums.set(it.examId, (sums.get(it.examId) ?? 0) + it.points);
  }
  return sums;
}

/**
 * Sets `examTotal` and `value = points / examTotal` under one rule, recorded in
 * `meta.examTotalRule`:
 * - `official`: the paper's official total, taken from `meta.officialExamTotal` (importers record
 *   it) or else the item's current `examTotal`;
 * - `dataset`: the sum of the points of the exam's items present (duplicates excluded), which
 *   makes each exam's values sum to 1 but inflates items of sparsely covered exams.
 * The official total is kept in `meta.officialExamTotal` either way, so the rule can be switched back.
 */
export function applyExamTotals(items: readonly Item[], rule: ExamTotalRule): Item[] {
  const sums = rule === "dataset" ? examPointsInDataset(items) : undefined;
  return items.map((it) => {
    const official = typeof it.meta.officialExamTotal === "number" ? it.meta.officialExamTotal : undefined;
    let total: number;
    if (rule === "official") {
      if (official === undefined && it.meta.examTotalRule === "dataset")
        throw new UsageError(
          `item ${it.id}: its exam total was summed from the data set and no meta.officialExamTotal records the official one`,
        );
      total = official ?? it.examTotal;
    } else {
      // A duplicate-only exam has no counted points; fall back to its own points.
      total = sums?.get(it.examId) ?? it.points;
    }
    const meta: Record<string, unknown> = { ...it.meta };
    delete meta.originalValue;
    delete meta.shuffleSeed;
    const officialTotal = official ?? (it.meta.examTotalRule === "dataset" ? undefined : it.examTotal);
    if (officialTotal !== undefined) meta.officialExamTotal = officialTotal;
    meta.examTotalRule = rule;
    // Weak and predicted values stay what they are (now over a new total); a shuffle is undone.
    meta.valueSource =
      it.meta.valueSource === "weak" || it.meta.valueSource === "predicted" ? it.meta.valueSource : "exam";
    return { ...it, examTotal: total, value: examValue(it.points, total), meta };
  });
}
