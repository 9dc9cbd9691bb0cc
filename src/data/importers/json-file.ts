import { readFile } from "node:fs/promises";
import type { z } from "zod";
import { errorMessage, InputError } from "../../util/errors.js";

/** The line of a JSON.parse error message's "position N", when it gives one. */
function lineOfPosition(text: string, message: string): number | undefined {
  const m = /position (\d+)/.exec(message);
  return m ? text.slice(0, Number(m[1])).split("\n").length : undefined;
}

/**
 * Reads a whole JSON file and checks its top level against `schema`; an unreadable file, invalid
 * JSON (with its line) or a schema mismatch (with the field's path) raises an InputError naming the file.
 */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new InputError({ file }, `cannot read file (${errorMessage(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(
      { file, line: lineOfPosition(text, errorMessage(err)) },
      `invalid JSON (${errorMessage(err)})`,
    );
  }
  const top = schema.safeParse(json);
  if (!top.success) {
    const issue = top.error.issues[0];
    throw new InputError({ file, field: issue.path.map(String).join(".") || undefined }, issue.message);
  }
  return top.data;
}
