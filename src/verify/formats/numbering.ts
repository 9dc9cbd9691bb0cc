/**
 * Numbered parts of a response: "(1) … (2) …", "（1）…", "1. …", "1、…", "① …", "第1题 …",
 * "Q1: …", "21. … 22. …" (exam question numbers). A run is n labels of one style numbered
 * consecutively (from any start) in order of position; the last such run in the text is the
 * answer section (an analysis may number its own steps earlier).
 */
export interface NumberedPart {
  /** The label's number. */
  number: number;
  /** The text between this label and the next label of the run (or the end). */
  text: string;
}

interface Label {
  number: number;
  start: number;
  end: number;
}

const CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";
const ROMAN: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4, V: 5, VI: 6, VII: 7, VIII: 8 };
const ROMAN_SIGNS = "ⅠⅡⅢⅣⅤⅥⅦⅧ";
const CHINESE_NUMERALS = "一二三四五六七八九十";

/** 1 for "1", "一", "Ⅰ" or "I". */
function numberOf(label: string): number {
  if (/^\d+$/.test(label)) return Number(label);
  if (CHINESE_NUMERALS.includes(label)) return CHINESE_NUMERALS.indexOf(label) + 1;
  if (ROMAN_SIGNS.includes(label)) return ROMAN_SIGNS.indexOf(label) + 1;
  return ROMAN[label] ?? -1;
}

/** Label styles. Each regex finds labels at a line start or after a space/punctuation. */
const STYLES: Array<{ re: RegExp; num: (m: RegExpExecArray) => number }> = [
  { re: /[(（]\s*(\d{1,3})\s*[)）]/g, num: (m) => Number(m[1]) },
  { re: /(?<=^|[\s>。；;:：,，.】)）*])(\d{1,3})\s*[.．、](?!\d)/gm, num: (m) => Number(m[1]) },
  { re: /[①-⑳]/g, num: (m) => CIRCLED.indexOf(m[0]) + 1 },
  { re: /第\s*(\d{1,3}|[一二三四五六七八九十])\s*(?:题|小题|空|问)/g, num: (m) => numberOf(m[1]) },
  // Roman numerals of exam parts: (Ⅰ)(Ⅱ), (I)(II).
  { re: /[(（]\s*([ⅠⅡⅢⅣⅤⅥⅦⅧ]|I{1,3}|IV|VI{0,3})\s*[)）]/g, num: (m) => numberOf(m[1]) },
  { re: /(?<![A-Za-z])(?:Q|Question|Problem|Blank)\s*(\d{1,3})\s*[:：.)]?/g, num: (m) => Number(m[1]) },
];

const MAX_LABELS = 2_000;

function labelsOf(text: string, style: (typeof STYLES)[number]): Label[] {
  const out: Label[] = [];
  style.re.lastIndex = 0;
  for (let m = style.re.exec(text); m && out.length < MAX_LABELS; m = style.re.exec(text))
    out.push({ number: style.num(m), start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * The last run of `n` consecutively numbered labels of one style, found backwards: the last label
 * numbered k+n−1 preceded (in order) by k+n−2 … k. Runs of the style whose run ends latest win.
 */
function lastRun(labels: Label[], n: number): Label[] | null {
  for (let i = labels.length - 1; i >= 0; i--) {
    const run = [labels[i]];
    let want = labels[i].number - 1;
    for (let j = i - 1; j >= 0 && run.length < n; j--) {
      if (labels[j].number === want) {
        run.unshift(labels[j]);
        want--;
      }
    }
    if (run.length === n && run[0].number >= 0) return run;
  }
  return null;
}

/** The n numbered parts of the last run, or null when the text has no such run. */
export function numberedParts(text: string, n: number): NumberedPart[] | null {
  if (n < 2) return null;
  let best: Label[] | null = null;
  for (const style of STYLES) {
    const run = lastRun(labelsOf(text, style), n);
    if (run && (!best || run[run.length - 1].start > best[best.length - 1].start)) best = run;
  }
  if (!best) return null;
  const run = best;
  return run.map((l, i) => {
    const part = text.slice(l.end, i + 1 < run.length ? run[i + 1].start : text.length);
    // A part ends where an answer field closes (the numbering may sit inside one field).
    const close = part.search(/<\/answer>|<eoa>/);
    // Separators around a part ("第一空：1，第二空：2") belong to the numbering, not the answer.
    const body = (close >= 0 ? part.slice(0, close) : part).replace(/^[\s:：．、]+|[\s,，;；、]+$/g, "");
    return { number: l.number, text: body };
  });
}
