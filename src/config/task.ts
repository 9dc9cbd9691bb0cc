import { z } from "zod";

/**
 * The embedded task: synthetic value-labeled exams of single-digit chains (see task/). Sized so
 * that the demo (warm-up, three RL arms, evaluation) fits 10 minutes on 2 cores and the
 * multi-seed grid has 1,000 held-out questions (40 test exams x 25).
 */
export const TaskConfigSchema = z
  .object({
    /** Seed of the exam generator (independent of the training seed, so every arm sees the same exams). */
    seed: z.number().int().default(0),
    /** Difficulty = number of steps (additions); a question has steps + 1 single-digit terms. */
    minSteps: z.number().int().min(1).default(1),
    maxSteps: z.number().int().min(1).max(16).default(7),
    /** Answers are the chained sum modulo this (each step is then a lookup in a 10 x 10 table). */
    modulus: z.number().int().min(2).max(10).default(10),
    /** 25 questions give a mean value of 1/25 = 0.04, as on the shipped GAOKAO exams. */
    questionsPerExam: z.number().int().min(1).default(25),
    trainExams: z.number().int().min(1).default(200),
    testExams: z.number().int().min(1).default(40),
    /**
     * Points = max(1, round(base * growth^(steps - 1) * exp(sigma * N(0,1)))): right-skewed,
     * correlated with difficulty (r ≈ 0.6) but not a function of it.
     */
    pointsBase: z.number().positive().default(2),
    pointsGrowth: z.number().positive().default(1.3),
    pointsSigma: z.number().nonnegative().default(0.5),
    /** Print the points in the prompt ("[12]3+5+7="), as real exam papers do, so value can steer behaviour. */
    showPoints: z.boolean().default(true),
    /**
     * Printed points are zero-padded to this many digits ("[05]") and capped at 10^digits − 1, so
     * every question's terms sit at the same positions whatever its points (0: print as is).
     */
    pointsDigits: z.number().int().min(0).max(4).default(2),
    /**
     * Fill every question with answer-blank characters ("_") to the length of the longest one, so
     * all prompts have one length and term i always sits at the same distance before the place in
     * a worked response where it is needed: copying a term becomes a fixed-offset lookup, which a
     * tiny model learns in far fewer steps than a length-dependent one.
     */
    padQuestions: z.boolean().default(true),
    /**
     * Section-valued exams (as real papers: 5-point choice questions, 12-point solutions): each exam
     * has `count` questions of each section, in shuffled order, worth the section's `points` whatever
     * their chain length; the printed points ("[09]") are the section marker. Replaces the points
     * formula above (pointsBase/Growth/Sigma unused), so value varies at equal difficulty and is
     * independent of it. Absent by default; the counts must sum to questionsPerExam.
     */
    sections: z
      .array(z.object({ points: z.number().int().min(1), count: z.number().int().min(1) }).strict())
      .min(1)
      .optional(),
  })
  .strict()
  .refine((c) => c.minSteps <= c.maxSteps, {
    message: "minSteps must not exceed maxSteps",
    path: ["minSteps"],
  })
  .refine((c) => !c.sections || c.sections.reduce((n, s) => n + s.count, 0) === c.questionsPerExam, {
    message: "the sections' counts must sum to questionsPerExam",
    path: ["sections"],
  })
  .refine(
    (c) => !c.sections || c.pointsDigits === 0 || c.sections.every((s) => s.points < 10 ** c.pointsDigits),
    { message: "a section's points must fit in pointsDigits digits", path: ["sections"] },
  );
export type TaskConfig = z.infer<typeof TaskConfigSchema>;
