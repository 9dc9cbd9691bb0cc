import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../util/atomic.js";
import { InputError } from "../util/errors.js";
import { parseJsonDocument } from "../util/json.js";
import { renderReport } from "./html.js";
import { parseReportData } from "./schema.js";
import type { ReportData } from "./types.js";

/** Renders `data` and writes the HTML atomically (never a half-written report); returns the HTML. */
export async function writeReport(path: string, data: ReportData): Promise<string> {
  const html = renderReport(data);
  await writeFileAtomic(path, html);
  return html;
}

/** Reads and validates a saved ReportData JSON file; errors name the file, line (for bad JSON) and field. */
export async function readReportData(path: string): Promise<ReportData> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      { file: path },
      code === "ENOENT" ? "no such file" : `cannot read (${code ?? String(err)})`,
    );
  }
  const json = parseJsonDocument(text, path);
  return parseReportData(json, path);
}
