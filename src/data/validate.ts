import { InputError } from "../util/errors.js";
import { type Item, ItemSchema, VALUE_SOURCES, VALUE_TOLERANCE } from "./item.js";
import { zodToInputError } from "./jsonl.js";

/** Where a record sits in its file: a 1-based line (JSONL) or a 0-based row (Parquet). */
export interface RecordLocation {
  file: string;
  line?: number;
  row?: number;
}

function describe(loc: RecordLocation): string {
  if (loc.line !== undefined) return `line ${loc.line}`;
  if (loc.row !== undefined) return `row ${loc.row}`;
  return "an earlier record";
}

/**
 * Cross-field rules the schema alone cannot express. Returns the offending field and why, or
 * undefined when the item is consistent.
 */
export function itemInconsistency(item: Item): { field: string; detail: string } | undefined {
  const source = item.meta.valueSource;
  if (source !== undefined && !(VALUE_SOURCES as readonly unknown[]).includes(source))
    return {
      field: "meta.valueSource",
      detail: `must be one of ${VALUE_SOURCES.join(", ")} (got ${JSON.stringify(source)})`,
    };
  const rule = item.meta.examTotalRule;
  if (rule !== undefined && rule !== "official" && rule !== "dataset")
    return {
      field: "meta.examTotalRule",
      detail: `must be "official" or "dataset" (got ${JSON.stringify(rule)})`,
    };
  if (item.points > item.examTotal + VALUE_TOLERANCE)
    return {
      field: "points",
      detail: `points ${item.points} exceed the exam total ${item.examTotal}`,
    };
  // Only exam-derived values are tied to points/examTotal; weak, predicted and shuffled values differ on purpose.
  if (source === undefined || source === "exam") {
    const expected = item.points / item.examTotal;
    if (Math.abs(item.value - expected) > VALUE_TOLERANCE)
      return {
        field: "value",
        detail: `value ${item.value} != points/examTotal = ${item.points}/${item.examTotal} = ${expected} (set meta.valueSource to "weak", "predicted" or "shuffled" if this is intended)`,
      };
  }
  if (Array.isArray(item.reference) && item.answerType !== "choice_list")
    return {
      field: "reference",
      detail: `a list of answers needs answerType "choice_list" (got "${item.answerType}")`,
    };
  if (item.answerType === "choice_list" && !Array.isArray(item.reference))
    return { field: "reference", detail: `answerType "choice_list" needs a list of answers` };
  return undefined;
}

/**
 * Validates a stream of raw records as Items: schema, cross-field rules, and unique ids. Errors
 * name the file, the line or row and the field; a duplicate id names both places it occurs.
 */
export class ItemChecker {
  private readonly seen = new Map<string, RecordLocation>();

  check(raw: unknown, where: RecordLocation): Item {
    const parsed = ItemSchema.safeParse(raw);
    if (!parsed.success) throw zodToInputError(parsed.error, where);
    const item = parsed.data;
    const problem = itemInconsistency(item);
    if (problem) throw new InputError({ ...where, field: problem.field }, problem.detail);
    const first = this.seen.get(item.id);
    if (first) {
      const firstAt = first.file === where.file ? describe(first) : `${first.file} ${describe(first)}`;
      throw new InputError(
        { ...where, field: "id" },
        `duplicate id ${JSON.stringify(item.id)} (first seen at ${firstAt})`,
      );
    }
    this.seen.set(item.id, { file: where.file, line: where.line, row: where.row });
    return item;
  }

  get count(): number {
    return this.seen.size;
  }
}
