import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { z } from "zod";
import { withAtomicFile } from "../util/atomic.js";
import { InputError } from "../util/errors.js";

/** Streams the non-blank lines of a JSONL file as parsed JSON, with their 1-based line numbers. */
export async function* readJsonlRaw(file: string): AsyncGenerator<{ line: number; value: unknown }> {
  const stream = createReadStream(file, { encoding: "utf8" });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const raw of lines) {
      line++;
      // Editors on Windows often start UTF-8 files with a byte-order mark; it is not part of the JSON.
      const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (text.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new InputError({ file, line }, `invalid JSON (${(err as Error).message})`);
      }
      yield { line, value };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new InputError({ file }, "file not found");
    throw err;
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** Converts the first zod issue into an InputError naming file, line/row and field. */
export function zodToInputError(
  err: z.ZodError,
  where: { file: string; line?: number; row?: number },
): InputError {
  const issue = err.issues[0];
  const field = issue.path.map(String).join(".");
  return new InputError({ ...where, field: field || undefined }, issue.message);
}

/** Streams a JSONL file validated against a schema; the first bad line raises an InputError. */
export async function* readJsonl<S extends z.ZodType>(
  file: string,
  schema: S,
): AsyncGenerator<{ line: number; value: z.output<S> }> {
  for await (const { line, value } of readJsonlRaw(file)) {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw zodToInputError(parsed.error, { file, line });
    yield { line, value: parsed.data };
  }
}

export async function readJsonlAll<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>[]> {
  const out: z.output<S>[] = [];
  for await (const { value } of readJsonl(file, schema)) out.push(value);
  return out;
}

/** Writes rows as JSONL atomically: the file appears whole or not at all. */
export async function writeJsonl(
  file: string,
  rows: Iterable<unknown> | AsyncIterable<unknown>,
): Promise<number> {
  return withAtomicFile(file, async (w) => {
    let n = 0;
    for await (const row of rows as AsyncIterable<unknown>) {
      await w.write(`${JSON.stringify(row)}\n`);
      n++;
    }
    return n;
  });
}
