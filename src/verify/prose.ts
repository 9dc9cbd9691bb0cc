/**
 * Answers inside prose: the last math span of a text, the last number written in its sentences,
 * and whether a text is prose at all. Used where a "given answer" turns out to be a sentence
 * ("The answer is $\frac34$.") and by extraction before its last-number fallback. Every scan is
 * over a bounded tail of the text.
 */
const TEXT_TAIL = 4_000;

/** Index of the last `$` at or before `from` that is not an escaped `\$`, else −1. */
function lastDollar(s: string, from: number): number {
  for (let j = s.lastIndexOf("$", from); j >= 0; j = j > 0 ? s.lastIndexOf("$", j - 1) : -1)
    if (s[j - 1] !== "\\") return j;
  return -1;
}

/** The last inline or display math span (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`) and where it ends. */
export function lastMathSpan(text: string): { body: string; end: number } | null {
  let best: { body: string; end: number } | null = null;
  const consider = (start: number, bodyStart: number, end: number, inline: boolean) => {
    if (start < 0 || bodyStart > end) return;
    const raw = text.slice(bodyStart, end);
    // Inline math does not run across lines (a "$" there is a stray one, or a currency sign).
    if (inline && raw.includes("\n")) return;
    const body = raw.trim();
    if (body !== "" && (best === null || end > best.end)) best = { body, end };
  };
  for (const [open, close] of [
    ["\\(", "\\)"],
    ["\\[", "\\]"],
  ]) {
    const end = text.lastIndexOf(close);
    if (end > 0) {
      const start = text.lastIndexOf(open, end - 1);
      consider(start, start + open.length, end, open === "\\(");
    }
  }
  const end = lastDollar(text, text.length - 1);
  if (end > 0) {
    const double = text[end - 1] === "$" && end >= 2;
    const close = double ? end - 1 : end;
    let start = lastDollar(text, close - 1);
    if (double && start > 0 && text[start - 1] === "$") start--;
    consider(start, start + (double ? 2 : 1), close, !double);
  }
  return best;
}

/**
 * The last number in prose ("… is 2/3.", "… it's 1,000.99€", "… 4 4/9."), with a simple
 * fraction, a mixed number or a percent sign; a number glued to a preceding letter ("AZYUK2A") is
 * not one.
 */
const PROSE_NUMBER =
  /(?<![A-Za-z\d.,_^])-?\d[\d,]*(?:\.\d+)?(?: \d+\/\d+|\s?\/\s?\d+(?:\.\d+)?)?(?:\s?\\?%)?/g;

/** Words that are mathematics written out, not prose. */
const MATH_WORDS = new Set(
  "infinity infty inf pi sqrt sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh log ln lg exp abs".split(
    " ",
  ),
);

/** The text with its math spans blanked out (same length, so positions still hold). */
export function outsideMath(text: string): string {
  return text.replace(/\$\$[\s\S]*?\$\$|(?<!\\)\$[^$]*(?<!\\)\$|\\\([\s\S]*?\\\)|\\\[[\s\S]*?\\\]/g, (m) =>
    " ".repeat(m.length),
  );
}

/**
 * The last number written in the prose itself (not inside a math span), when it stands alone.
 * When the text ends in an expression written without delimiters ("… is 8n^2 + 4n + 1",
 * "… is (-1,6)", "… is 3R^2") or holds LaTeX outside math delimiters ("… is \frac{1}{3}"), no
 * number is the answer: an earlier one ("We find 2 values, …") must not stand in for it.
 */
export function lastProseNumber(text: string): { body: string; end: number } | null {
  const prose = outsideMath(text);
  if (/\\[a-zA-Z]/.test(prose)) return null;
  let last: RegExpExecArray | null = null;
  PROSE_NUMBER.lastIndex = 0;
  for (let m = PROSE_NUMBER.exec(prose); m; m = PROSE_NUMBER.exec(prose)) last = m;
  if (last === null) return null;
  const before = prose.slice(0, last.index).trimEnd().slice(-1);
  const after = prose.slice(last.index + last[0].length);
  // "… = 8" ends a computation; "… + 1", "…^{2}", "(-1, 6)" are operands of an expression.
  if (/[+\-*/^<>({[|,_]/.test(before) || /^\s*[A-Za-z]*\s*[+\-*/^_=<>)}\]|]/.test(after)) return null;
  // Digits after the number that the pattern refused (glued to letters, exponents): an expression.
  if (/\d/.test(after.replace(/<\|[^|]*\|>/g, ""))) return null;
  return { body: last[0].replace(/,$/, ""), end: last.index + last[0].length };
}

/** Words outside math spans and LaTeX commands, as the parser counts them (one of 4+ letters or two of 3). */
export function isProse(text: string): boolean {
  const words = outsideMath(text)
    // Environment names and column specs are not words: \begin{pmatrix}, \begin{array}{cccc}.
    .replace(/\\(?:begin|end)\s*\{[a-zA-Z*]*\}(?:\s*\{[a-z|]*\})?/g, " ")
    .replace(/\\[a-zA-Z]+/g, " ")
    .match(/[A-Za-z]{2,}/g);
  if (/[A-Za-z]{2,}'[a-z]/.test(text)) return true;
  const counted = words?.filter((w) => !MATH_WORDS.has(w.toLowerCase())) ?? [];
  if (counted.length === 0) return false;
  // As the parser counts: a word of four letters, or two words one of which has three.
  const longest = Math.max(...counted.map((w) => w.length));
  return longest >= 4 || (counted.length >= 2 && longest >= 3);
}

/** The last answer-like item of a text: its last math span, or a number in prose after it. */
export function lastItem(text: string): string | null {
  return lastItemWithKind(text)?.body ?? null;
}

export function lastItemWithKind(text: string): { body: string; kind: "math" | "number" } | null {
  const tail = text.length > TEXT_TAIL ? text.slice(-TEXT_TAIL) : text;
  const span = lastMathSpan(tail);
  const number = isProse(tail) || isChineseProse(tail) ? lastProseNumber(tail) : null;
  if (number && (!span || number.end > span.end)) return { body: number.body, kind: "number" };
  return span ? { body: span.body, kind: "math" } : null;
}

/**
 * Chinese sentences (a worked solution, a paragraph of reasoning) rather than a short answer in
 * Chinese ("三棱锥，三棱柱", "12千克"): more than 16 ideographs, or words around math spans, a
 * heading (【详解】) or several lines.
 */
export function isChineseProse(text: string): boolean {
  const ideographs = text.match(/[\u3400-\u9fff]/g);
  if (ideographs === null) return false;
  return ideographs.length > 16 || (ideographs.length >= 2 && /\n|\$|【/.test(text.trim()));
}

/**
 * A short text given as an answer on its own, not a sentence: "\frac{10}{9}", "x \in [2, 5)",
 * "Tuesday", "\text{no solution}", "\frac13 \text{ meters}", "28 percent". Trailing unit groups
 * and a percent word do not make it prose; two bare words ("no idea") do.
 */
export function isStandaloneAnswer(text: string): boolean {
  const t = text
    .trim()
    .replace(/^\$+|\$+$/g, "")
    .trim();
  if (t === "" || t.length > 1_000) return false;
  if (isChineseProse(t)) return false;
  if (/^[A-Za-z]+\.?$/.test(t) || /^\\(?:text|textbf|mathrm|mbox)\s*\{[^{}\d]*\}$/.test(t)) return true;
  const core = t
    .replace(/(?:\s*\\(?:text|textbf|textnormal|mbox|mathrm)\s*\{[^{}]*\}(?:\s*\^\s*\{?\d\}?)?)+\s*\.?$/, "")
    .replace(/\s*(?:percent|percentage|pct)\.?$/, "");
  return !isProse(core === "" ? t : core);
}
