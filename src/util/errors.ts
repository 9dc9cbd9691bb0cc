/** Errors that the CLI turns into one clear line and an exit code (no stack trace unless --verbose). */
export class RlevError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "RlevError";
    this.exitCode = exitCode;
  }
}

/** Where a bad value was found: a file and a 1-based line (JSONL) or 0-based row (Parquet). */
export interface InputLocation {
  file: string;
  line?: number;
  row?: number;
  field?: string;
}

export function formatLocation(loc: InputLocation): string {
  let at = loc.file;
  if (loc.line !== undefined) at += `:${loc.line}`;
  if (loc.row !== undefined) at += ` row ${loc.row}`;
  if (loc.field !== undefined && loc.field !== "") at += ` field "${loc.field}"`;
  return at;
}

/** Malformed input data (exit code 2). The message names file, line or row, and field. */
export class InputError extends RlevError {
  readonly location: InputLocation;
  readonly detail: string;
  constructor(location: InputLocation, detail: string) {
    super(`${formatLocation(location)}: ${detail}`, 2);
    this.name = "InputError";
    this.location = location;
    this.detail = detail;
  }
}

/** Wrong command-line use or an invalid configuration (exit code 2). */
export class UsageError extends RlevError {
  constructor(message: string) {
    super(message, 2);
    this.name = "UsageError";
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
