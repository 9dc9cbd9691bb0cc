import { Rng } from "../util/rng.js";
import type { Item } from "./item.js";
import { duplicateKey } from "./text-hash.js";

export interface SplitOptions {
  /** Share of items to put in the test split, in [0, 1]. */
  testFraction: number;
  seed: number;
  /**
   * Also keep exams that share a question (same text up to whitespace and punctuation) on one
   * side, so a question seen in training never reappears in a test exam (default true).
   */
  groupByText?: boolean;
  trainName?: string;
  testName?: string;
}

export interface SplitSummary {
  /** Exams kept together (connected by shared questions) form one unit of the split. */
  units: number;
  /** Exams that share a question with another exam. */
  linkedExams: number;
  train: { items: number; exams: number };
  test: { items: number; exams: number };
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root) as string;
    let node = x;
    while (node !== root) {
      const next = this.parent.get(node) as string;
      this.parent.set(node, root);
      node = next;
    }
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The smaller id becomes the root, so components do not depend on input order.
    if (ra !== rb) ra < rb ? this.parent.set(rb, ra) : this.parent.set(ra, rb);
  }
}

/**
 * A deterministic train/test split by exam: an exam is never divided, and (by default) exams that
 * share a question go to the same side. Units (groups of linked exams) are shuffled with the seed
 * and taken into the test split while that brings its size closer to `testFraction` of the items.
 * The result depends only on the items' exam ids and texts, not on their order.
 */
export function splitByExam(
  items: readonly Item[],
  options: SplitOptions,
): { items: Item[]; summary: SplitSummary } {
  const { testFraction, seed } = options;
  if (!(testFraction >= 0 && testFraction <= 1))
    throw new RangeError(`testFraction must be in [0, 1] (got ${testFraction})`);
  const trainName = options.trainName ?? "train";
  const testName = options.testName ?? "test";
  const uf = new UnionFind();
  const examOfText = new Map<string, string>();
  const linked = new Set<string>();
  for (const it of items) {
    uf.find(it.examId);
    if (options.groupByText === false) continue;
    const key = duplicateKey(it.prompt);
    const other = examOfText.get(key);
    if (other === undefined) examOfText.set(key, it.examId);
    else if (other !== it.examId) {
      uf.union(other, it.examId);
      linked.add(other).add(it.examId);
    }
  }
  const unitSize = new Map<string, number>();
  const unitExams = new Map<string, Set<string>>();
  for (const it of items) {
    const root = uf.find(it.examId);
    unitSize.set(root, (unitSize.get(root) ?? 0) + 1);
    if (!unitExams.has(root)) unitExams.set(root, new Set());
    unitExams.get(root)?.add(it.examId);
  }
  const units = new Rng(seed).shuffle([...unitSize.keys()].sort());
  const target = Math.round(testFraction * items.length);
  const testUnits = new Set<string>();
  let testCount = 0;
  for (const u of units) {
    const size = unitSize.get(u) as number;
    if (testCount < target && Math.abs(testCount + size - target) <= Math.abs(testCount - target)) {
      testUnits.add(u);
      testCount += size;
    }
  }
  const out = items.map((it) => ({ ...it, split: testUnits.has(uf.find(it.examId)) ? testName : trainName }));
  let testExams = 0;
  for (const u of testUnits) testExams += unitExams.get(u)?.size ?? 0;
  const allExams = [...unitExams.values()].reduce((n, s) => n + s.size, 0);
  return {
    items: out,
    summary: {
      units: unitSize.size,
      linkedExams: linked.size,
      train: { items: items.length - testCount, exams: allExams - testExams },
      test: { items: testCount, exams: testExams },
    },
  };
}
