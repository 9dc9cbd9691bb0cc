import type { Item } from "../data/item.js";
import type { EvaluationResult } from "../eval/evaluate.js";
import type { LogRecord } from "./metrics-log.js";

/** How a caller (the CLI, the demo, a test) observes and steers a training run. */
export interface RunHooks {
  /** When aborted, the run finishes its current step, saves a checkpoint and returns "interrupted". */
  signal?: AbortSignal;
  /** Called with every record appended to metrics.jsonl. */
  onRecord?: (record: LogRecord) => void;
  /** Messages for the user (warnings, where the run resumed); default: none. */
  log?: (message: string) => void;
  /** Show a progress bar (TTY) or progress lines (otherwise) on stderr. Default false. */
  progress?: boolean;
  /**
   * RL only: every held-out evaluation (graded rows and metrics) as it completes, e.g. to keep the
   * final policy's responses without evaluating it twice.
   */
  onEvaluation?: (step: number, result: EvaluationResult) => void;
  /**
   * RL only: the train items the loop samples and rewards, derived from the generated ones (e.g.
   * weak difficulty-based values instead of exam points). Held-out evaluation keeps the true values.
   */
  trainItems?: (generated: readonly Item[]) => Item[];
}

export type RunStatus = "completed" | "interrupted";
