import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../util/atomic.js";
import { InputError } from "../util/errors.js";
import { renderReport } from "./html.js";
import { parseReportData } from "./schema.js";
import type { ReportData } from "./types.js";

/** Renders `data` and writes the HTML atomically (never a half-written report); returns the HTML. */
export async function writeReport(path: string, data: ReportData): Promise<string> {
  const html = renderReport(data);
  await writeFileAtomic(path, html);
  return html;
}

/** 1-based line of a character offset (JSON.parse reports positions). */
function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    const line = pos ? lineAt(text, Number(pos[1])) : undefined;
    throw new InputError(
      { file: path, line },
      `not valid JSON: ${message.replace(/\s*\(line \d+ column \d+\)$/, "")}`,
    );
  }
  return parseReportData(json, path);
}
