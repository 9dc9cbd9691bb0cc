import { numberedParts } from "../formats/numbering.js";

/**
 * Several blanks answered in one text with their numbers ("(1). $-\frac12$; (2). $\ln 2$",
 * "① 3 ② 5"): the answers as one list "-\frac12, \ln 2", comparable with a list written without
 * numbers. Semicolons between answers are list commas.
 */
export function mayNumberBlanks(text: string): boolean {
  return /[(（]\s*[12]\s*[)）]|①|;|；/.test(text);
}

export function numberedBlanksAsList(text: string): string | null {
  if (text.length > 1_000) return null;
  for (const n of [2, 3, 4]) {
    const parts = numberedParts(text, n);
    if (parts && parts[0].number === 1 && text.slice(0, text.search(/[(（①]/)).trim() === "") {
      const items = parts.map((p) =>
        p.text
          .replace(/^[.．、:：\s$]+|[;；,，.。\s$]+$/g, "")
          .replace(/(?:\\q?quad|[;；,，.。\s$])+$/g, "")
          .trim(),
      );
      if (items.every((x) => x !== "")) return items.join(", ");
    }
  }
  const bySemicolon = text.split(/\s*[;；]\s*/);
  if (bySemicolon.length > 1) return bySemicolon.map((x) => x.replace(/^\$+|\$+$/g, "").trim()).join(", ");
  return null;
}
