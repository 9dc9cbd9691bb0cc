import { LIMITS } from "../limits.js";
import type { Answer } from "../math/ast.js";
import { AnswerParser } from "./answer.js";
import { isOp } from "./cursor.js";
import { mapExprs, resolveDegrees } from "./degrees.js";
import { normalizeAnswerText } from "./normalize.js";
import { ParseError, tokenize } from "./tokenize.js";

/** Removes an outer `\boxed{...}` / `\fbox{...}` left in a reference answer. */
function unwrapBoxed(s: string): string {
  const m = /^\\(?:boxed|fbox)\s*\{/.exec(s);
  if (!m) return s;
  let depth = 0;
  for (let j = m[0].length - 1; j < s.length; j++) {
    if (s[j] === "\\") {
      j++;
      continue;
    }
    if (s[j] === "{") depth++;
    else if (s[j] === "}" && --depth === 0) return j === s.length - 1 ? s.slice(m[0].length, j) : s;
  }
  return s;
}

/** Parses an answer string (LaTeX or plain) into its structure; throws ParseError when it cannot. */
export function parseAnswer(text: string): Answer {
  if (text.length > LIMITS.maxAnswerChars) throw new ParseError("answer too long");
  const normalized = unwrapBoxed(normalizeAnswerText(text));
  const toks = tokenize(normalized);
  if (toks.length === 0) throw new ParseError("empty answer");
  const parser = new AnswerParser(toks);
  const answer = parser.parseTop(0, toks.length);
  return toks.some((t) => isOp(t, "°")) ? mapExprs(answer, (e) => resolveDegrees(e, false)) : answer;
}

export { ParseError };
