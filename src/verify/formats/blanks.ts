import { answerFields } from "./fields.js";
import { numberedParts } from "./numbering.js";

/**
 * The answers of a response to an item with several blanks (a passage with n questions, a cloze,
 * a fill-in with n blanks), one text per blank in order, null for a blank left unanswered.
 *
 * Where they are looked for, first that applies:
 * 1. exactly n answer fields (`【答案】…<eoa>`, `<answer>…</answer>`): one per blank, in order;
 * 2. the last run of n consecutively numbered parts ("(1) … (2) …", "21. … 22. …", "①…②…"):
 *    each part's own answer (its last field, else its final statement);
 * 3. more than n fields: the last n;
 * 4. one final statement (the last field, or the final answer of the text) listing n answers:
 *    "B C A", "BCA", "B, C, A", "1. B 2. C 3. A", "x=1; y=2".
 * The caller extracts or reads each part's answer with the single-answer rules.
 */
export interface BlankParts {
  /** One text per blank (a field, a numbered part or a list item); null when a blank has none. */
  parts: Array<string | null>;
  /** fields | numbered | last_fields | list | none */
  method: string;
}

/** Splits one statement into n list items: numbered, separated, spaced, or n letters run together. */
export function splitList(statement: string, n: number, letters: boolean): string[] | null {
  // "36-40: CAGDF", "1～5 BCADG": the range names the blanks, the rest answers them.
  const s = statement.trim().replace(/^\d{1,3}\s*[-–~～至到]\s*\d{1,3}\s*[:：.、]?\s*/, "");
  const numbered = numberedParts(s, n);
  if (numbered) return numbered.map((p) => p.text);
  const bySeparator = s.split(/\s*[;；,，、\n]\s*/).filter((x) => x !== "");
  if (bySeparator.length === n) return bySeparator;
  const spaced = s.split(/\s+/).filter((x) => x !== "");
  if (letters) {
    const compact = s.normalize("NFKC").replace(/[\s$()（）]/g, "");
    if (compact.length === n && /^[A-H]+$/.test(compact)) return [...compact];
    if (spaced.length === n) return spaced;
  } else if (
    spaced.length === n &&
    spaced.every((x) => /^[-+]?(?:\d+(?:\.\d+)?(?:\/\d+)?|\\frac\{[^{}]+\}\{[^{}]+\})$/.test(x))
  )
    // "1 2", "-3 0.5": numbers separated by spaces only, one per blank.
    return spaced;
  return null;
}

export function blankParts(text: string, n: number): BlankParts {
  const fields = answerFields(text);
  if (fields.length === n) return { parts: fields.map((f) => f.text || null), method: "fields" };
  const numbered = numberedParts(text, n);
  if (numbered) return { parts: numbered.map((p) => p.text || null), method: "numbered" };
  if (fields.length > n) return { parts: fields.slice(-n).map((f) => f.text || null), method: "last_fields" };
  return { parts: [], method: "none" };
}
