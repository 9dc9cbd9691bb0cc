import type { TaskConfig } from "../config/task.js";
import type { Item } from "../data/item.js";
import { Rng } from "../util/rng.js";
import { chainAnswer, renderPrompt } from "./format.js";
import { deriveSeed, SeedPurpose } from "./seeds.js";

export interface ExamSplits {
  train: Item[];
  test: Item[];
}

/** What the task keeps in `Item.meta`. */
export interface ChainMeta {
  terms: number[];
  steps: number;
  modulus: number;
  /** Index into task.sections (section-valued exams only). */
  section?: number;
}

export function chainMeta(item: Item): ChainMeta {
  const meta = item.meta as Partial<ChainMeta>;
  if (!Array.isArray(meta.terms) || typeof meta.steps !== "number" || typeof meta.modulus !== "number")
    throw new Error(`item ${item.id} is not a chain item (meta.terms/steps/modulus missing)`);
  return meta as ChainMeta;
}

/**
 * Points of one question: max(1, round(base · growth^(steps−1) · exp(σ·z))). The lognormal
 * factor makes points right-skewed (many small items, a few large ones) and only partly
 * explained by difficulty, like real exam papers.
 */
export function questionPoints(cfg: TaskConfig, steps: number, rng: Rng): number {
  const raw = cfg.pointsBase * cfg.pointsGrowth ** (steps - 1) * Math.exp(cfg.pointsSigma * rng.normal());
  const cap = cfg.pointsDigits > 0 ? 10 ** cfg.pointsDigits - 1 : Number.POSITIVE_INFINITY;
  return Math.min(cap, Math.max(1, Math.round(raw)));
}

/**
 * One exam: `questionsPerExam` chain questions of uniformly drawn difficulty; values are
 * points / exam total (docs/method.md#exam-values), so they sum to 1 within the exam.
 */
export function generateExam(cfg: TaskConfig, split: "train" | "test", index: number, rng: Rng): Item[] {
  const examId = `${split}-${String(index).padStart(4, "0")}`;
  // Section-valued exams: the section order is drawn first, then each question's chain as usual.
  const sectionOf = cfg.sections
    ? rng.shuffle(cfg.sections.flatMap((s, i) => new Array<number>(s.count).fill(i)))
    : null;
  const drafts = Array.from({ length: cfg.questionsPerExam }, (_, j) => {
    const steps = rng.range(cfg.minSteps, cfg.maxSteps);
    const terms = Array.from({ length: steps + 1 }, () => rng.int(cfg.modulus));
    const section = sectionOf ? sectionOf[j] : undefined;
    const points = section !== undefined ? cfg.sections![section].points : questionPoints(cfg, steps, rng);
    return { steps, terms, points, section };
  });
  const total = drafts.reduce((sum, d) => sum + d.points, 0);
  return drafts.map((d, j) => ({
    id: `${examId}-q${String(j + 1).padStart(2, "0")}`,
    prompt: renderPrompt(d.terms, d.points, {
      showPoints: cfg.showPoints,
      pointsDigits: cfg.pointsDigits,
      padToTerms: cfg.padQuestions ? cfg.maxSteps + 1 : 0,
    }),
    reference: String(chainAnswer(d.terms, cfg.modulus)),
    answerType: "number" as const,
    examId,
    points: d.points,
    examTotal: total,
    value: d.points / total,
    difficulty: d.steps,
    split,
    meta: {
      terms: d.terms,
      steps: d.steps,
      modulus: cfg.modulus,
      ...(d.section !== undefined ? { section: d.section } : {}),
    } satisfies ChainMeta,
  }));
}

/**
 * Train and test exams, split by exam. Exam i of a split is drawn from its own seed
 * (task seed, split, i), so growing a split never changes the exams already in it.
 */
export function generateExams(cfg: TaskConfig, seed: number = cfg.seed): ExamSplits {
  const build = (split: "train" | "test", count: number, purpose: number) =>
    Array.from({ length: count }, (_, i) =>
      generateExam(cfg, split, i, new Rng(deriveSeed(seed, purpose, i))),
    ).flat();
  return {
    train: build("train", cfg.trainExams, SeedPurpose.trainExam),
    test: build("test", cfg.testExams, SeedPurpose.testExam),
  };
}
