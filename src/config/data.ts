import { z } from "zod";

/**
 * Item files, importers and splits (`rlev import`, `rlev data`). Command-line flags override
 * these; these override nothing else.
 */
export const DataConfigSchema = z
  .object({
    /** Exam total T in v = points / T: the official paper total, or the exam's points in the data set. */
    examTotal: z.enum(["official", "dataset"]).default("official"),
    /** Rows per Parquet row group when writing (the unit of streaming and of the SHA-256 check). */
    rowGroupSize: z.number().int().positive().default(1000),
    /** Problems per pseudo-exam for data sets without exams (MATH --exam-by chunk, GSM8K). */
    examSize: z.number().int().positive().default(50),
    /** Share of items in the test split of `rlev data split`. */
    testFraction: z.number().min(0).max(1).default(0.2),
    /** Keep exams that share a question on the same side of a split. */
    groupByText: z.boolean().default(true),
  })
  .strict();
export type DataConfig = z.infer<typeof DataConfigSchema>;
