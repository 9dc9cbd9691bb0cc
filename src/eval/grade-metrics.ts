import { groupByItem } from "../metrics/graded.js";
import { type RunSummary, summarizeRun } from "../metrics/summary.js";
import type { GivenVerdict } from "./saved-responses.js";

/** One row of `rlev grade`'s graded.jsonl. */
export interface GradedSavedRow {
  id: string;
  sample: number;
  value: number;
  points: number;
  /** Points earned / points, in [0, 1]. */
  score: number;
  /** True/false for a full/zero score, else the partial score (how `rlev metrics` reads it). */
  correct: boolean | number;
  pred: string | null;
  reason: string;
  /** Tokens when the input said, else characters / 4 (`lengthSource`). */
  length: number;
  lengthSource: "input" | "chars/4";
  examId: string;
  examTotal: number;
  answerType: string;
  reference: string;
  subject?: string;
  questionType?: string;
  keyword?: string;
  difficulty?: number;
  /** Per-blank verdicts of a multi-blank item, when the verifier gives them. */
  blanks?: Array<{ pred: string | null; correct: boolean; score: number }>;
  /** A verdict already present in the input (e.g. the benchmark's own). */
  given?: GivenVerdict;
}

/** Points of a group of items: what the exam would count, with the input's own verdicts beside. */
export interface PointsRow {
  key: string;
  items: number;
  responses: number;
  /** Points of the graded items (each item once). */
  points: number;
  /** Σ points × mean score over the item's responses. */
  earned: number;
  /** earned / points: the scoring rate. */
  rate: number;
  /** Share of responses correct (partial scores count fractionally). */
  acc: number;
  hAcc: number;
  /** The same under the input's verdicts (items that have one), with how often the two agree. */
  given: {
    items: number;
    points: number;
    earned: number;
    rate: number;
    /** Responses whose score equals the input's. */
    agree: number;
    responses: number;
    /** Responses the input scored 0 or full (a judge's all-or-nothing verdicts), and how many of them agree. */
    fullOrZero: { compared: number; agree: number };
    /** Blanks with a score on both sides, and how many agree. */
    blanks: { compared: number; agree: number };
  } | null;
}

export interface ExamPoints extends PointsRow {
  /** The exam's official total: points "as the exam would count them" are earned / examTotal. */
  examTotal: number;
}

export interface Agreement {
  compared: number;
  agree: number;
  rate: number;
}

export interface GradeMetrics {
  items: number;
  responses: number;
  /** Acc, H-Acc, top/bottom-value accuracy, length … (metrics/summary.ts), with bootstrap CIs. */
  summary: RunSummary;
  points: { earned: number; total: number; rate: number };
  verdicts: Record<string, number>;
  byExam: ExamPoints[];
  bySubject: PointsRow[];
  byQuestionType: PointsRow[];
  byKeyword: PointsRow[];
  /** Present when the input carries verdicts of its own. */
  given: {
    sources: string[];
    responses: number;
    summary: RunSummary;
    points: { earned: number; total: number; rate: number };
    /** Responses whose score equals the input's. */
    agreement: Agreement;
    /** Blanks whose score equals the input's, where both give per-blank scores (single-blank items count as one). */
    blankAgreement: Agreement & { notCompared: number };
    /** Responses whose score differs from the input's, in input order. */
    disagreements: Array<{ id: string; sample: number; score: number; given: number }>;
  } | null;
}

const EPS = 1e-9;

interface ItemTally {
  value: number;
  points: number;
  scores: number[];
  given: number[];
}

function tallyItems(rows: readonly GradedSavedRow[]): Map<string, ItemTally> {
  const out = new Map<string, ItemTally>();
  for (const r of rows) {
    let t = out.get(r.id);
    if (!t) {
      t = { value: r.value, points: r.points, scores: [], given: [] };
      out.set(r.id, t);
    }
    t.scores.push(r.score);
    if (r.given) t.given.push(r.given.score);
  }
  return out;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function pointsRow(key: string, rows: readonly GradedSavedRow[]): PointsRow {
  const items = tallyItems(rows);
  let points = 0;
  let earned = 0;
  let gItems = 0;
  let gPoints = 0;
  let gEarned = 0;
  for (const t of items.values()) {
    points += t.points;
    earned += t.points * mean(t.scores);
    if (t.given.length > 0) {
      gItems++;
      gPoints += t.points;
      gEarned += t.points * mean(t.given);
    }
  }
  let v = 0;
  let vs = 0;
  let agree = 0;
  let withGiven = 0;
  const fullOrZero = { compared: 0, agree: 0 };
  const blanks = { compared: 0, agree: 0 };
  for (const r of rows) {
    v += r.value;
    vs += r.value * r.score;
    if (!r.given) continue;
    withGiven++;
    const same = Math.abs(r.score - r.given.score) <= EPS;
    if (same) agree++;
    if (r.given.score === 0 || r.given.score === 1) {
      fullOrZero.compared++;
      if (same) fullOrZero.agree++;
    }
    const theirs = r.given.blanks ?? [r.given.score];
    const ours = ourBlanks(r, theirs.length);
    if (ours)
      theirs.forEach((t, j) => {
        blanks.compared++;
        if (Math.abs(t - ours[j]) <= EPS) blanks.agree++;
      });
  }
  return {
    key,
    items: items.size,
    responses: rows.length,
    points,
    earned,
    rate: points > 0 ? earned / points : Number.NaN,
    acc: mean(rows.map((r) => r.score)),
    hAcc: v > 0 ? vs / v : Number.NaN,
    given:
      gItems > 0
        ? {
            items: gItems,
            points: gPoints,
            earned: gEarned,
            rate: gEarned / gPoints,
            agree,
            responses: withGiven,
            fullOrZero,
            blanks,
          }
        : null,
  };
}

function groupBy(
  rows: readonly GradedSavedRow[],
  keyOf: (r: GradedSavedRow) => string | undefined,
): PointsRow[] {
  const groups = new Map<string, GradedSavedRow[]>();
  for (const r of rows) {
    const k = keyOf(r);
    if (k === undefined) continue;
    const list = groups.get(k) ?? [];
    list.push(r);
    groups.set(k, list);
  }
  return [...groups.keys()].sort().map((k) => pointsRow(k, groups.get(k)!));
}

function summaryOf(
  rows: readonly GradedSavedRow[],
  score: (r: GradedSavedRow) => number,
  bootstrap: number,
): RunSummary {
  const graded = rows.map((r) => ({
    id: r.id,
    value: r.value,
    correct: score(r),
    length: r.length,
    ...(r.difficulty !== undefined ? { difficulty: r.difficulty } : {}),
  }));
  return summarizeRun(groupByItem(graded), { bootstrap: { resamples: bootstrap, seed: 0 } });
}

/** Our blank scores for comparison: the verifier's per-blank verdicts, or the item's score when it has one blank. */
function ourBlanks(r: GradedSavedRow, n: number): number[] | null {
  if (r.blanks && r.blanks.length === n) return r.blanks.map((b) => b.score);
  return n === 1 ? [r.score] : null;
}

/** All metrics of a graded set of saved responses (hand-checkable: see test/eval/grade.test.ts). */
export function summarizeGrades(
  rows: readonly GradedSavedRow[],
  opts: { bootstrap?: number } = {},
): GradeMetrics {
  if (rows.length === 0) throw new RangeError("no graded responses");
  const bootstrap = opts.bootstrap ?? 1000;
  const verdicts: Record<string, number> = {};
  for (const r of rows) verdicts[r.reason] = (verdicts[r.reason] ?? 0) + 1;
  const all = pointsRow("all", rows);
  const examTotals = new Map(rows.map((r) => [r.examId, r.examTotal]));
  const byExam = groupBy(rows, (r) => r.examId).map((p) => ({ ...p, examTotal: examTotals.get(p.key)! }));

  const withGiven = rows.filter((r) => r.given);
  let given: GradeMetrics["given"] = null;
  if (withGiven.length > 0) {
    const g = pointsRow("given", withGiven);
    const disagreements = withGiven
      .filter((r) => Math.abs(r.score - r.given!.score) > EPS)
      .map((r) => ({ id: r.id, sample: r.sample, score: r.score, given: r.given!.score }));
    let compared = 0;
    let agree = 0;
    let notCompared = 0;
    for (const r of withGiven) {
      const theirs = r.given!.blanks ?? [r.given!.score];
      const ours = ourBlanks(r, theirs.length);
      if (!ours) {
        notCompared += theirs.length;
        continue;
      }
      theirs.forEach((t, j) => {
        compared++;
        if (Math.abs(t - ours[j]) <= EPS) agree++;
      });
    }
    given = {
      sources: [...new Set(withGiven.map((r) => r.given!.source))].sort(),
      responses: withGiven.length,
      summary: summaryOf(withGiven, (r) => r.given!.score, bootstrap),
      points: { earned: g.given!.earned, total: g.given!.points, rate: g.given!.rate },
      agreement: {
        compared: withGiven.length,
        agree: withGiven.length - disagreements.length,
        rate: (withGiven.length - disagreements.length) / withGiven.length,
      },
      blankAgreement: { compared, agree, rate: compared > 0 ? agree / compared : Number.NaN, notCompared },
      disagreements,
    };
  }
  return {
    items: all.items,
    responses: rows.length,
    summary: summaryOf(rows, (r) => r.score, bootstrap),
    points: { earned: all.earned, total: all.points, rate: all.rate },
    verdicts,
    byExam,
    bySubject: groupBy(rows, (r) => r.subject),
    byQuestionType: groupBy(rows, (r) => r.questionType ?? r.answerType),
    byKeyword: groupBy(rows, (r) => r.keyword),
    given,
  };
}
