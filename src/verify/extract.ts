import { type AnswerField, lastAnswerField } from "./formats/fields.js";
import { cutRunOn } from "./formats/run-on.js";
import { isStandaloneAnswer, lastItemWithKind } from "./prose.js";

/**
 * Pulling the final answer out of a full model response. Every scan here is linear in the
 * length of the response (no backtracking regular expressions over the whole text), so a
 * megabyte of hostile text costs milliseconds.
 */
export interface Extraction {
  /** The extracted answer text, or null when nothing answer-like was found. */
  pred: string | null;
  /**
   * How it was found: boxed, gsm8k, answer_line, answer_phrase, chinese, bold, choice_letter ("…
   * option (B)."), whole_response (a short text that is not prose), last_math (the last math
   * span), last_number, none, unfinished_think; answer_tag / answer_field when the answer came
   * from an `<answer>…</answer>` or `【答案】…<eoa>` field.
   */
  method: string;
}

export interface ExtractOptions {
  /** Fall back to the last number in the text (default true). */
  lastNumberFallback?: boolean;
}

const MAX_CANDIDATE = 2_000;

/** Content of the brace group opening at `open`, or null if it never closes. */
function braceGroup(s: string, open: number, limit = s.length): { content: string; end: number } | null {
  let depth = 0;
  for (let j = open; j < limit; j++) {
    const ch = s.charCodeAt(j);
    if (ch === 92 /* \ */) {
      j++;
      continue;
    }
    if (ch === 123 /* { */) depth++;
    else if (ch === 125 /* } */) {
      depth--;
      if (depth === 0) return { content: s.slice(open + 1, j), end: j + 1 };
    }
  }
  return null;
}

/** The last `\boxed{...}` / `\fbox{...}` (or `\boxed 5`) in the text, braces matched. */
export function lastBoxed(s: string): string | null {
  return lastBoxedAt(s)?.content ?? null;
}

/**
 * Text allowed between boxed groups that together give one answer: "\boxed{-2} and \boxed{1}",
 * "\boxed{1}\boxed{2}". Not "or": "\boxed{15\frac{39}{40}}, or \boxed{\frac{639}{40}}" gives one
 * value in two forms, and the last one is taken.
 */
const BOX_GAP = /(?:\s|\$|,|;|&|\\quad|\\qquad|\\,|\band\b|\\text\s*\{\s*(?:and|,)?\s*\})*$/;
const MAX_JOINED_BOXES = 16;

/**
 * The final answer of a text whose last boxed group may have siblings: consecutive boxed groups
 * separated only by spaces, commas, "and"/"or" or math delimiters are one answer, joined by ", ".
 */
export function finalBoxed(s: string): string | null {
  const last = lastBoxedAt(s);
  if (last === null) return null;
  if (last.start < 0) return last.content;
  const parts = [last.content];
  let start = last.start;
  while (parts.length < MAX_JOINED_BOXES) {
    // The closing brace of a previous group, then only separators up to `start`.
    const before = s.slice(Math.max(0, start - 60), start);
    const gap = BOX_GAP.exec(before);
    const close = gap ? gap.index - 1 : -1;
    if (close < 0 || before[close] !== "}") break;
    const closeAt = start - before.length + close;
    const open = openingBrace(s, closeAt);
    if (open < 0) break;
    const head = /\\(?:boxed|fbox)\s*$/.exec(s.slice(Math.max(0, open - 12), open));
    if (!head) break;
    parts.unshift(s.slice(open + 1, closeAt).trim());
    start = open - head[0].length;
  }
  return parts.join(", ");
}

/** Index of the "{" matching the "}" at `close`, scanning back at most MAX_CANDIDATE characters. */
function openingBrace(s: string, close: number): number {
  let depth = 0;
  for (let j = close; j >= 0 && close - j <= MAX_CANDIDATE; j--) {
    if (s[j - 1] === "\\") continue;
    if (s[j] === "}") depth++;
    else if (s[j] === "{" && --depth === 0) return j;
  }
  return -1;
}

/** The last boxed group and where its command starts (start −1 for the unbraced `\boxed 5`). */
function lastBoxedAt(s: string): { content: string; start: number } | null {
  let from = s.length;
  // A group still open at the end of the text leaves every group around it open too, so scans
  // for earlier groups stop where the last unclosed one starts: linear time on "\boxed{\boxed{…".
  let limit = s.length;
  // Each search resumes below the previous hit; a search that found nothing stays found-nothing.
  let ib = s.length;
  let ifb = s.length;
  while (from >= 0) {
    if (ib > from) ib = s.lastIndexOf("\\boxed", from);
    if (ifb > from) ifb = s.lastIndexOf("\\fbox", from);
    const i = Math.max(ib, ifb);
    if (i < 0) return null;
    let j = i + (i === ib ? 6 : 5);
    while (s[j] === " ") j++;
    if (s[j] === "{") {
      const g = braceGroup(s, j, limit);
      if (g) return { content: g.content.trim(), start: i };
      limit = i;
    } else if (j > i + 6 || (s[j] !== undefined && /[0-9A-Za-z\\-]/.test(s[j]))) {
      // "\boxed 5": up to the next space or dollar.
      let k = j;
      while (k < s.length && s[k] !== " " && s[k] !== "$" && s[k] !== "\n") k++;
      const v = s.slice(j, k).trim();
      if (v !== "") return { content: v, start: -1 };
    }
    from = i - 1;
  }
  return null;
}

function cleanCandidate(raw: string): string | null {
  let s = raw.trim();
  // Cut at the end of the sentence / line.
  const nl = s.indexOf("\n");
  if (nl >= 0) s = s.slice(0, nl);
  s = s.replace(/\*\*/g, "").trim();
  s = s.replace(/\s*(?:I hope it is correct|Hope this helps).*$/i, "");
  // A sentence ends at ". " followed by a capital letter or the end.
  const stop = /\.\s+[A-Z]/.exec(s);
  if (stop) s = s.slice(0, stop.index);
  s = s.replace(/^[:：\s]+/, "").replace(/[.。\s]+$/, "");
  s = s.replace(/^\$+|\$+$/g, "").trim();
  const boxed = lastBoxed(s);
  if (boxed !== null) s = boxed;
  // "(B)" after "the correct option is": the letter.
  s = s.replace(/^\(([A-H])\)$/, "$1");
  if (s === "" || s.length > MAX_CANDIDATE) return null;
  return s;
}

/** Answer-introducing phrases; the text after the last one is the candidate. */
const PHRASES: Array<[RegExp, string]> = [
  [/final answer is/gi, "answer_phrase"],
  [/the answer is|the answers are|answers\s*[:：]/gi, "answer_phrase"],
  // "The correct option is (B)", "the best choice would be C", "I would choose B", "I'll go with D".
  [
    /\b(?:correct|right|best) (?:answer|option|choice)s? (?:is|are|would be|should be|must be)\b|\b(?:I|we)(?: would| will|'d|'ll)? (?:choose|pick|select|go with)\b/gi,
    "answer_phrase",
  ],
  [/answer\s*[:：]/gi, "answer_line"],
  // The answer in other languages: "la réponse est C", "la respuesta es B", "die Antwort ist A".
  [
    /\b(?:réponse|respuesta|resposta|risposta|Antwort)\s*(?:est|es|é|è|ist|lautet)?\s*[:：]?/gi,
    "answer_phrase",
  ],
  [
    /答案(?:依次|分别)?(?:是|为|应为)|答案：|答案:|故答案为|故填|应填|故应填|最终答案为?|正确(?:的)?(?:答案|选项|说法)?(?:是|为|有)|符合题意的(?:是|为|有)|综上(?:所述|可知|可得)?[,，:：]?/g,
    "chinese",
  ],
  // 故选D, 所以选择 A, 应该选 B, 故答案选 B, 答案 A — "选" only when a letter follows (not 选项 D).
  [/故选|所以选|因此选|应选|故答案选|因而选|即选|本题选/g, "chinese"],
  [/选\s*择?\s*[:：]?(?=\s*\$?\s*(?:\\mathrm\{)?[A-H](?![a-zA-Z]))|答案\s*(?=[A-H](?![a-zA-Z]))/g, "chinese"],
];

/** "故C正确", "C项正确", "Option C is correct", "(C) is the right answer": the letter comes before the phrase. */
const CORRECT_LETTER =
  /(?<![A-Za-z])([A-H])\s*(?:项|选项)?\s*(?:正确|符合题意|与题意相符)|(?<![A-Za-z])(?:[Oo]ption\s+|[Cc]hoice\s+)?\(?([A-H])\)?\s+is\s+(?:the\s+)?(?:correct|right|best)\b/g;

function lastPhrase(s: string): { text: string; method: string } | null {
  let best: { at: number; text: string; method: string } | null = null;
  for (const [re, method] of PHRASES) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null = re.exec(s);
    let last: RegExpExecArray | null = null;
    while (m) {
      last = m;
      m = re.exec(s);
    }
    if (last && (!best || last.index > best.at))
      best = {
        at: last.index,
        text: s.slice(last.index + last[0].length, last.index + last[0].length + 4_000),
        method,
      };
  }
  // "故C正确", "C项正确": the letter comes before the phrase.
  CORRECT_LETTER.lastIndex = 0;
  let m = CORRECT_LETTER.exec(s);
  let last: RegExpExecArray | null = null;
  while (m) {
    last = m;
    m = CORRECT_LETTER.exec(s);
  }
  if (last && (!best || last.index > best.at))
    best = { at: last.index, text: last[1] ?? last[2], method: last[1] ? "chinese" : "answer_phrase" };
  return best;
}

// A number glued to a preceding letter ("AZYUK2A", "x2") is not a standalone number.
const NUMBER_RE = /(?<![A-Za-z])(?:-?\d[\d,]*(?:\.\d+)?|-?\.\d+)/g;

/**
 * The last number of the text, unless it is an operand of an expression the text ends with
 * ("\frac{1}{3}", "8n^2 + 4n + 1", "1+2i"): then there is no number answer, and an earlier one
 * must not stand in for it. "5 + 3 = 8" ends in its result, 8.
 */
function lastNumber(s: string): string | null {
  // Only the tail matters; cap the scan so a huge response stays cheap.
  const tail = s.length > 20_000 ? s.slice(-20_000) : s;
  let last: RegExpExecArray | null = null;
  NUMBER_RE.lastIndex = 0;
  for (let m = NUMBER_RE.exec(tail); m; m = NUMBER_RE.exec(tail)) last = m;
  if (last === null) return null;
  const before = tail
    .slice(Math.max(0, last.index - 20), last.index)
    .trimEnd()
    .slice(-1);
  const after = tail.slice(last.index + last[0].length, last.index + last[0].length + 20);
  if (/[+*/^(_]/.test(before) || /^[A-Za-z]|^\s*[}^_]/.test(after)) return null;
  return last[0].replace(/,(?=\d{3}(?!\d))/g, "").replace(/,$/, "");
}

const CLOSING_CHOICE = /(?:\s\(([A-H])\)|\b(?:[Oo]ption|[Cc]hoice)\s+\(?([A-H])\)?)[\s.!]*$/;

/**
 * The answer in a field: the field's own final statement when it has one ("【答案】故选B",
 * "<answer>The answer is \boxed{5}</answer>"), else the whole field, unwrapped from `$…$` and a
 * closing full stop. Fields hold no fields, so the inner extraction does not recurse further.
 */
function fromField(field: AnswerField): Extraction {
  const inner = extractAnswer(field.text, { lastNumberFallback: false });
  if (inner.pred !== null && inner.method !== "whole_response")
    return { pred: inner.pred, method: field.kind };
  let t = field.text.replace(/\s+/g, " ").trim();
  t = t.replace(/[\s.。;；]+$/, "");
  if (/^\$+[^$]*\$+$/.test(t)) t = t.replace(/^\$+|\$+$/g, "").trim();
  if (t === "" || t.length > MAX_CANDIDATE) return { pred: null, method: field.kind };
  return { pred: t, method: field.kind };
}

/** Extracts the final answer from a full response. See `Extraction.method` for the sources, in priority order. */
export function extractAnswer(response: string, opts: ExtractOptions = {}): Extraction {
  const fallback = opts.lastNumberFallback ?? true;
  let s = response;
  const closeThink = s.lastIndexOf("</think>");
  if (closeThink >= 0) s = s.slice(closeThink + 8);
  else if (s.includes("<think>")) return { pred: null, method: "unfinished_think" };

  s = cutRunOn(s);

  // An answer field the format sets aside (<answer>…</answer>, 【答案】…<eoa>) holds the answer.
  const field = lastAnswerField(s);
  if (field !== null) return fromField(field);

  const boxed = finalBoxed(s);
  if (boxed !== null && boxed !== "")
    return { pred: boxed.length > MAX_CANDIDATE ? null : boxed, method: "boxed" };

  const hashes = s.lastIndexOf("####");
  if (hashes >= 0) {
    const c = cleanCandidate(s.slice(hashes + 4, hashes + 4 + 4_000));
    if (c !== null) return { pred: c.replace(/,(?=\d{3}(?!\d))/g, ""), method: "gsm8k" };
  }

  const phrase = lastPhrase(s);
  if (phrase) {
    const c = cleanCandidate(phrase.text);
    if (c !== null) return { pred: c, method: phrase.method };
  }

  // A bold final value, "**73**", in the last lines.
  const tail = s.slice(-2_000);
  const bold = tail.lastIndexOf("**");
  if (bold > 0) {
    const open = tail.lastIndexOf("**", bold - 1);
    if (open >= 0) {
      const inner = tail.slice(open + 2, bold).trim();
      if (inner !== "" && inner.length <= 100 && /\d/.test(inner)) {
        const c = cleanCandidate(inner.replace(/^[^:]*[:：]\s*/, ""));
        if (c !== null) return { pred: c, method: "bold" };
      }
    }
  }

  // A short answer given on its own ("\frac{10}{9}", "x \in [2, 5)"), not a sentence: the whole
  // text is the answer (its last number, 9 or 5, is not).
  // "… the correct option is (B).", "Choice C": a choice letter closing the text.
  const closing = CLOSING_CHOICE.exec(s.slice(-200));
  if (closing) return { pred: closing[1] ?? closing[2], method: "choice_letter" };

  if (isStandaloneAnswer(s)) return { pred: s.trim(), method: "whole_response" };

  if (fallback) {
    // The last math span or a number standing alone in the last sentences, then any last number.
    const item = lastItemWithKind(s);
    if (item) return { pred: item.body, method: item.kind === "math" ? "last_math" : "last_number" };
    const n = lastNumber(s);
    if (n !== null) return { pred: n, method: "last_number" };
  }
  return { pred: null, method: "none" };
}
