/**
 * Typesetting left in answers (often in references typed from scanned papers): math delimiters
 * between the parts of one answer ("$x=2$或$x=3$"), `~` and `\,`
 * spacing inside a group (`\mathrm{~N}`), a space after a decimal point ("0. 98"), a stray closing
 * brace or full stop at the end ("36}", "4 ."). None of these changes the mathematics.
 */
export function needsTidying(text: string): boolean {
  if (/~|\\[,;!:]|\d\.\s+\d|[.。]\s*$|.\$./.test(text)) return true;
  // A closing brace at the end is debris only when it closes nothing.
  return /\}\s*$/.test(text) && braceBalance(text) < 0;
}

/** Brace balance of a text (ignoring escaped braces). */
function braceBalance(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === "{") depth++;
    else if (s[i] === "}") depth--;
  }
  return depth;
}

/**
 * "0. 98" (a space after the decimal point, as typed from a scanned key) is 0.98, never 0 times
 * 98: joined before any comparison. Only a text that is that one number.
 */
export function joinSpacedDecimal(text: string): string {
  if (!text.includes(". ")) return text;
  const m = /^(\s*-?\d+)\.\s+(\d+)\s*[.。]?\s*$/.exec(text);
  return m ? `${m[1].trim()}.${m[2]}` : text;
}

export function tidyTypesetting(text: string): string {
  let s = text
    // Math delimiters inside an answer ("$x=2$或$x=3$"): the answer is the text without them.
    .replace(/(?<!\\)\$/g, " ")
    .replace(/~|\\[,;!:]/g, " ")
    .replace(/\{\s+/g, "{")
    .replace(/\s+\}/g, "}")
    .replace(/^(\s*-?\d+)\.\s+(\d+)/, "$1.$2")
    .trim();
  s = s.replace(/(?<![.\s])\s*[.。]\s*$/, "");
  // A closing brace with no opening one: debris of a cut \boxed{...}.
  while (s.endsWith("}") && braceBalance(s) < 0) s = s.slice(0, -1).trimEnd();
  return s;
}
