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
}

export type RunStatus = "completed" | "interrupted";
