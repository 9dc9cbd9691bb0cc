/**
 * Labeled answers: a value written with the name it belongs to ("AB=4", "S=N_1/N", "\lambda = 1/2",
 * "|PF|=3", "f(x)=2x+1", "V_1:V_2=11:21"), alone or in a list ("AB=4, CD=5"). Without the labels
 * they are the values a reference without names gives ("4, 5", "11:21"). A left side that is not
 * a name ("2x = 4", "a+b = 5") is an equation, not a label, and stays.
 */

/** One name: a letter group, a Greek command, |AB|, \vec{a}, \angle B, with subscripts, primes, (x). */
const NAME =
  /^(?:\|[^|=]{1,20}\||\\(?:vec|overrightarrow|overline|angle|bar|hat|tilde)\s*(?:\{[^{}=]{1,20}\}|[A-Za-z]{1,3})|\\[a-zA-Z]+|[A-Za-z]{1,4})(?:\s*_\s*(?:\{[^{}=]{1,16}\}|[A-Za-z0-9]))?(?:'|\^\s*\{?\\prime\}?)*(?:\s*\([^()=]{1,16}\))?$/;

/** Splits at top-level separators (commas, semicolons, 和/及/且), outside brackets and braces. */
export function splitTopLevel(text: string, separators = /[,，;；、]|和|及|且/y): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\" && (text[i + 1] === "{" || text[i + 1] === "}")) {
      i++;
      continue;
    }
    if ("([{（【".includes(ch)) depth++;
    else if (")]}）】".includes(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      separators.lastIndex = i;
      const m = separators.exec(text);
      if (m) {
        parts.push(text.slice(start, i));
        start = i + m[0].length;
        i = start - 1;
      }
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

function isName(text: string): boolean {
  const t = text.replace(/^\$+|\$+$/g, "").trim();
  if (t === "" || /^\d/.test(t)) return false;
  // "V_1:V_2", "a:b:c": names in ratio.
  return t.split(/[:∶]/).every((part) => NAME.test(part.trim()));
}

/** The value of one labeled item ("AB=4" → "4"; "x = y = 2" → "2"), or null when it has no label. */
function unlabeled(item: string): string | null {
  const eq = item.indexOf("=");
  if (eq <= 0 || /[<>≤≥]|\\[lg]e/.test(item)) return null;
  const sides = item.split("=");
  if (!sides.slice(0, -1).every((s) => isName(s))) return null;
  const value = sides[sides.length - 1].trim();
  return value === "" ? null : value;
}

/** True when the text may hold a label (cheap test before `stripLabels`). */
export function mayHaveLabels(text: string): boolean {
  return text.includes("=");
}

/** The answer with every item's label removed, or null when some item has none to remove. */
export function stripLabels(text: string): string | null {
  const t = text.replace(/^\$+|\$+$/g, "").trim();
  const items = splitTopLevel(t);
  if (items.length > 64) return null;
  const values: string[] = [];
  for (const item of items) {
    if (item === "") continue;
    const v = unlabeled(item);
    if (v === null) return null;
    values.push(v);
  }
  return values.length > 0 ? values.join(", ") : null;
}
