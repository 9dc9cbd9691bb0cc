// Dataset exports for other RL trainers: verl rows (Parquet/JSONL) and OpenRLHF JSONL.
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
} from "../data/item.js";
export { labelOf, labelString, type RewardLabel, RewardLabelSchema, referenceString } from "./label.js";
export { exportOpenRlhf, type OpenRlhfExportOptions, type OpenRlhfRow, toOpenRlhfRow } from "./openrlhf.js";
export {
  type ExportFormat,
  exportVerl,
  formatFromPath,
  toVerlRow,
  userContent,
  VERL_PARQUET_SCHEMA,
  type VerlExportOptions,
  type VerlRow,
  verlParquetBytes,
} from "./verl.js";
