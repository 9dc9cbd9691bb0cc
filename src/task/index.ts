export {
  type ChainMeta,
  chainMeta,
  type ExamSplits,
  generateExam,
  generateExams,
  questionPoints,
} from "./exams.js";
export {
  ANSWER_MARK,
  BLANK,
  chainAnswer,
  type ParsedResponse,
  type PromptStyle,
  parseResponse,
  renderPrompt,
  renderSolution,
  runningResults,
  type SolutionMode,
  solutionLength,
  TASK_ALPHABET,
} from "./format.js";
export { type TaskVerdict, verifyResponse } from "./verify.js";
