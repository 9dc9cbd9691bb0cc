import { numberedParts } from "../formats/numbering.js";

/**
 * Several blanks answered in one text with their numbers ("(1). $-\frac12$; (2). $\ln 2$",
 * "① 3 ② 5"): the answers as one list "-\frac12, \ln 2", comparable with a list written without
 * numbers. Semicolons between answers are list commas.
 */
export function mayNumberBlanks(text: string): boolean {
  return /[(（]\s*[12]\s*[)）]|①|;|；/.test(text);
}

/**
 * The blanks of a text that numbers them from 1 at its very start ("(1). a; (2). b", "① a ② b"),
 * in order, or null. Up to 6 blanks.
 */
export function numberedBlanks(text: string): string[] | null {
  if (text.length > 1_000) return null;
  const first = text.search(/[(（①]|\d\s*[.．、]/);
  if (first < 0 || text.slice(0, first).replace(/\$/g, "").trim() !== "") return null;
  for (const n of [2, 3, 4, 5, 6]) {
    const parts = numberedParts(text, n);
    if (parts && parts[0].number === 1) {
      const items = parts.map((p) =>
        p.text
          .replace(/^[.．、:：\s$]+|[;；,，.。\s$]+$/g, "")
          .replace(/(?:\\q?quad|[;；,，.。\s$])+$/g, "")
          .trim(),
      );
      return items.every((x) => x !== "") ? items : null;
    }
  }
  return null;
}

export function numberedBlanksAsList(text: string): string | null {
  const items = numberedBlanks(text);
  if (items) return items.join(", ");
  const bySemicolon = text.split(/\s*[;；]\s*/);
  if (bySemicolon.length > 1) return bySemicolon.map((x) => x.replace(/^\$+|\$+$/g, "").trim()).join(", ");
  return null;
}
