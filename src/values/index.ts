// The values layer's public API: v = points / total, exam-total rules, weak values, shuffles, statistics.
export { type ShuffleOptions, shuffleItemValues } from "./shuffle.js";
export {
  formatValueStats,
  type Summary,
  VALUE_BIN_EDGES,
  type ValueStats,
  ValueStatsAccumulator,
  valueStats,
} from "./stats.js";
export { applyExamTotals, countsTowardExam, examPointsInDataset, examValue } from "./value.js";
export { difficultyClassOf, weakValue, withWeakValue } from "./weak.js";
