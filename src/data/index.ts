// The data layer's public API: the Item record, JSONL / Parquet I/O, importers, splits.
export {
  classOfLevel,
  DIFFICULTY_CLASSES,
  type DifficultyClass,
  parseDifficultyClass,
  WEAK_SCALE,
  WEAK_SCORES,
  weakScore,
} from "./difficulty.js";
export {
  type CrossCheckDifference,
  type CrossCheckReport,
  crossCheckGaokao,
} from "./importers/cross-check.js";
export { type GaokaoImportOptions, gaokaoAnswer, gaokaoItems, importGaokao } from "./importers/gaokao.js";
export {
  GAOKAO_SUBJECTS,
  type GaokaoQuestionType,
  type GaokaoSubject,
  gaokaoExamId,
  PAPER_OF_SUBJECT,
  PAPER_TOTAL,
  QUESTION_TYPES,
  SECTION_TOTAL,
} from "./importers/gaokao-exams.js";
export {
  type BenchmarkVerdict,
  benchmarkObjectiveScores,
  type GaokaoResult,
  type GaokaoResultFile,
  gaokaoResultFiles,
  itemsFromGaokaoResults,
  looksLikeGaokaoResult,
  readGaokaoResultFile,
} from "./importers/gaokao-results.js";
export {
  type Gsm8kImportOptions,
  type Gsm8kWeakMode,
  gsm8kFinalAnswer,
  importGsm8k,
} from "./importers/gsm8k.js";
export { importMath, type MathImportOptions, mathLevel } from "./importers/math.js";
export {
  ANSWER_TYPES,
  type AnswerType,
  AnswerTypeSchema,
  EXAM_TOTAL_RULES,
  type ExamTotalRule,
  type Item,
  type ItemInput,
  ItemSchema,
  VALUE_SOURCES,
  VALUE_TOLERANCE,
  type ValueSource,
  valueSourceOf,
} from "./item.js";
export {
  type ItemFileFormat,
  isItemFile,
  itemFilesIn,
  itemFormatOf,
  type LocatedItem,
  readAllItems,
  readItems,
  readItemsFromPath,
  readItemsLocated,
  writeItems,
} from "./items-io.js";
export { readJsonl, readJsonlAll, writeJsonl } from "./jsonl.js";
export { checkItems, loadItems, streamItems } from "./load.js";
export { readParquetRows, writeItemsParquet } from "./parquet.js";
export { type SplitOptions, type SplitSummary, splitByExam } from "./split.js";
