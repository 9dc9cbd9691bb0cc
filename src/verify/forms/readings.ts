import { listedForms, mayListForms } from "./alternatives.js";
import { mayNumberBlanks, numberedBlanksAsList } from "./blank-list.js";
import { chineseMathToLatex, hasChineseMath } from "./chinese-math.js";
import { hasCjk, valueInChinese } from "./cjk.js";
import { mayHaveLabels, stripLabels } from "./labels.js";
import { isPlainNumber, leadingQuantity } from "./quantity.js";
import { functionRangeAsVariable, mayBeFunctionRange } from "./range.js";
import { mayBeRatio, ratioAsFraction } from "./ratio.js";
import { mayBeSetBuilder, setBuilderCondition } from "./set-builder.js";
import { needsTidying, tidyTypesetting } from "./tidy.js";

/**
 * Other readings of an answer that mean the same to an exam grader: the typesetting tidied,
 * Chinese mathematical words as LaTeX, the value a Chinese sentence states, labels removed, a
 * ratio as a fraction, a function's range or a set-builder set as the condition it states, and
 * (against a plain-number reference)
 * the number a statement with units leads with. Readings apply one after another (at most
 * `MAX_READINGS` texts); each is tried only when a cheap test says it may apply, so a wrong
 * answer of the common kind ("5" against "6") costs nothing here.
 */
const MAX_READINGS = 8;

type Reading = (text: string, other: string) => string[];

const READINGS: Reading[] = [
  (t) => (mayListForms(t) ? listedForms(t) : []),
  (t) => (needsTidying(t) ? [tidyTypesetting(t)] : []),
  (t) => {
    if (!mayNumberBlanks(t)) return [];
    const v = numberedBlanksAsList(t);
    return v === null ? [] : [v];
  },
  (t) => (hasChineseMath(t) ? [chineseMathToLatex(t)] : []),
  (t) => {
    if (!hasCjk(t)) return [];
    const v = valueInChinese(t);
    return v === null ? [] : [v];
  },
  // A labeled answer against an unlabeled reference (an equation reference keeps its labels).
  (t, other) => {
    if (!mayHaveLabels(t) || other.includes("=")) return [];
    const v = stripLabels(t);
    return v === null ? [] : [v];
  },
  (t, other) => {
    if (!mayBeRatio(t) || !mayBeRatio(other)) return [];
    const v = ratioAsFraction(t);
    return v === null ? [] : [v];
  },
  (t) => {
    if (!mayBeFunctionRange(t)) return [];
    const v = functionRangeAsVariable(t);
    return v === null ? [] : [v];
  },
  (t) => {
    if (!mayBeSetBuilder(t)) return [];
    const v = setBuilderCondition(t);
    return v === null ? [] : [v];
  },
  (t, other) => (isPlainNumber(other) ? leadingQuantity(t) : []),
];

/**
 * Cheap test: could any reading apply to this text? Non-ASCII (Chinese, unicode math), the marks
 * the readings look for, a trailing brace or stop, or (against a plain number) a number followed
 * by words. Most answers of a wrong-answer comparison fail it and cost one regular expression.
 */
function mayRead(text: string, other: string): boolean {
  // One pass over the characters (this runs on every failed comparison, twice).
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127) return true;
    switch (c) {
      case 61 /* = */:
      case 58 /* : */:
      case 126 /* ~ */:
      case 35 /* # */:
      case 59 /* ; */:
      case 60 /* < */:
      case 62 /* > */:
      case 36 /* $ */:
      case 124 /* | */:
        return true;
      case 40 /* ( */:
        if (text.charCodeAt(i + 2) === 41 && text.charCodeAt(i + 1) >= 48 && text.charCodeAt(i + 1) <= 57)
          return true;
        break;
      case 92 /* \ */:
        {
          const n = text[i + 1];
          if (
            n === "," ||
            n === ";" ||
            n === "!" ||
            text.startsWith("le", i + 1) ||
            text.startsWith("mid", i + 1)
          )
            return true;
          if (n === "{" || n === "}") i++;
          break;
        }
      case 46 /* . */:
        // "0. 98": a space after a decimal point.
        if (
          text.charCodeAt(i + 1) === 32 &&
          i > 0 &&
          text.charCodeAt(i - 1) >= 48 &&
          text.charCodeAt(i - 1) <= 57
        )
          return true;
        break;
      case 123 /* { */:
        depth++;
        break;
      case 125 /* } */:
        depth--;
        break;
    }
  }
  const end = text.trimEnd();
  // A closing stop, or a closing brace that closes nothing (debris).
  if (end.endsWith(".") || (end.endsWith("}") && depth < 0)) return true;
  return /^\s*-?\d/.test(text) && /\d\s*[A-Za-z/]/.test(text) && isPlainNumber(other);
}

/**
 * The readings of `text` other than itself (given the other side of the comparison), in the order
 * found, without repeats. A ratio reading of the other side is added by the caller's symmetric call.
 */
export function answerReadings(text: string, other: string): string[] {
  if (!mayRead(text, other)) return [];
  const out: string[] = [];
  const queue = [text];
  const seen = new Set([text.trim()]);
  while (queue.length > 0 && out.length < MAX_READINGS) {
    const t = queue.shift() as string;
    for (const read of READINGS) {
      for (const r of read(t, other)) {
        const v = r.trim();
        if (v === "" || seen.has(v)) continue;
        seen.add(v);
        out.push(v);
        queue.push(v);
        if (out.length >= MAX_READINGS) return out;
      }
    }
  }
  return out;
}
