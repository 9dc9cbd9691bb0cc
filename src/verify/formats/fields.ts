/**
 * Answer fields: the places a response format sets aside for the final answer. `<answer>…</answer>`
 * (RL recipes, R1-style models) and GAOKAO-Bench's `【答案】…<eoa>` (the format its prompts ask for,
 * also the heading official solutions use). A field holds the answer, possibly in a sentence
 * ("【答案】故选B", "<answer>The answer is \boxed{5}</answer>"). Every scan is linear.
 */
export interface AnswerField {
  /** The field's content, trimmed. */
  text: string;
  /** Where the content starts and ends in the scanned text. */
  start: number;
  end: number;
  kind: "answer_tag" | "answer_field";
}

/** Most fields read from one response: a multi-blank item has a handful, hostile text thousands. */
const MAX_FIELDS = 256;
/** Longest field content kept (a field is an answer, not an essay). */
const MAX_FIELD_CHARS = 4_000;

/** `【答案】`, `【 答案 】`, `【正确答案】`, `【最终答案】`, `[答案]`. */
const FIELD_HEAD = /[【[]\s*(?:正确|最终)?答\s*案\s*[】\]]/g;
/** What ends a `【答案】` field when no `<eoa>` does: the next heading (【解析】, 【点评】) or `<eoe>`. */
const FIELD_END = /<eoa>|<eoe>|【|<\/?answer>/g;

function field(text: string, start: number, end: number, kind: AnswerField["kind"]): AnswerField {
  let s = start;
  let e = Math.min(end, start + MAX_FIELD_CHARS);
  while (s < e && /[\s:：]/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  return { text: text.slice(s, e), start: s, end: e, kind };
}

/** `<answer>…</answer>` fields in order; an `<answer>` left open at the end runs to the end. */
function tagFields(text: string): AnswerField[] {
  const out: AnswerField[] = [];
  let from = 0;
  while (out.length < MAX_FIELDS) {
    const open = text.indexOf("<answer>", from);
    if (open < 0) break;
    const start = open + 8;
    const close = text.indexOf("</answer>", start);
    const end = close < 0 ? text.length : close;
    out.push(field(text, start, end, "answer_tag"));
    if (close < 0) break;
    from = close + 9;
  }
  return out;
}

/** `【答案】…` fields in order, each up to `<eoa>`, the next heading or the end. */
function bracketFields(text: string): AnswerField[] {
  const out: AnswerField[] = [];
  FIELD_HEAD.lastIndex = 0;
  for (let m = FIELD_HEAD.exec(text); m && out.length < MAX_FIELDS; m = FIELD_HEAD.exec(text)) {
    const start = m.index + m[0].length;
    FIELD_END.lastIndex = start;
    const stop = FIELD_END.exec(text);
    const end = stop ? stop.index : text.length;
    out.push(field(text, start, end, "answer_field"));
    FIELD_HEAD.lastIndex = Math.max(end, start);
  }
  return out;
}

/**
 * The answer fields of a response in order of position (tags and 【答案】 fields together). Empty
 * fields are kept: a blank answered with nothing is still a blank.
 */
export function answerFields(text: string): AnswerField[] {
  const tags = text.includes("<answer>") ? tagFields(text) : [];
  const brackets = text.includes("答") ? bracketFields(text) : [];
  if (tags.length === 0) return brackets;
  if (brackets.length === 0) return tags;
  // 【答案】 inside an <answer> tag is the same answer: keep the innermost, the tag's only when empty of fields.
  const outside = tags.filter((t) => !brackets.some((b) => b.start >= t.start && b.end <= t.end));
  return [...outside, ...brackets].sort((a, b) => a.start - b.start);
}

/** The last non-empty answer field, or null. */
export function lastAnswerField(text: string): AnswerField | null {
  const fields = answerFields(text);
  for (let i = fields.length - 1; i >= 0; i--) if (fields[i].text !== "") return fields[i];
  return null;
}
