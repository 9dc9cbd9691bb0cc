import { LIMITS } from "../limits.js";

/** Thrown for text that is not a mathematical answer we can read; the verdict says `unparseable`. */
export class ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParseError";
  }
}

export type Token =
  | { t: "num"; v: string; sp: boolean }
  | { t: "word"; v: string; sp: boolean }
  | { t: "cmd"; v: string; sp: boolean }
  /** Content of `\text{}`, `\mbox{}`, `\mathrm{}`, `\operatorname{}` and friends. */
  | { t: "text"; v: string; sp: boolean }
  | { t: "op"; v: string; sp: boolean };

const TEXT_COMMANDS = new Set([
  "text",
  "textrm",
  "textbf",
  "textit",
  "textsf",
  "texttt",
  "mbox",
  "mathrm",
  "mathbf",
  "mathit",
  "mathsf",
  "mathtt",
  "operatorname",
  "emph",
  "textnormal",
]);

const TWO_CHAR_OPS = new Set(["<=", ">=", "!=", "==", "**", "=>", "->"]);

/** Reads a brace group starting at `open` (the index of "{"); returns its content and the index after "}". */
function readBraceGroup(s: string, open: number): { content: string; end: number } {
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    const c = s[j];
    if (c === "\\") {
      j++;
      continue;
    }
    if (c === "{") {
      depth++;
      if (depth > LIMITS.maxDepth) throw new ParseError("nesting too deep");
    } else if (c === "}") {
      depth--;
      if (depth === 0) return { content: s.slice(open + 1, j), end: j + 1 };
    }
  }
  throw new ParseError("unbalanced braces");
}

/** Splits normalized answer text into tokens. Linear in the length of the text. */
export function tokenize(s: string): Token[] {
  if (s.length > LIMITS.maxAnswerChars) throw new ParseError("answer too long");
  const out: Token[] = [];
  let i = 0;
  let sp = false;
  const push = (tok: Token) => {
    out.push(tok);
    if (out.length > LIMITS.maxTokens) throw new ParseError("too many tokens");
    sp = false;
  };
  while (i < s.length) {
    const c = s[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      sp = true;
      i++;
      continue;
    }
    if ((c >= "0" && c <= "9") || (c === "." && s[i + 1] >= "0" && s[i + 1] <= "9")) {
      let j = i;
      while (j < s.length && s[j] >= "0" && s[j] <= "9") j++;
      if (s[j] === "." && s[j + 1] >= "0" && s[j + 1] <= "9") {
        j++;
        while (j < s.length && s[j] >= "0" && s[j] <= "9") j++;
      } else if (s[j] === "." && j > i && !/[a-zA-Z\\]/.test(s[j + 1] ?? "")) {
        j++; // "2." is the number 2
      }
      // Scientific notation 1.5e-3 / 2E10 (but not "2e" alone: that is 2·e).
      const m = /^[eE][+-]?\d{1,6}(?![\d.])/.exec(s.slice(j, j + 9));
      if (m) j += m[0].length;
      push({ t: "num", v: s.slice(i, j), sp });
      i = j;
      continue;
    }
    if ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z")) {
      let j = i;
      while (j < s.length && /[a-zA-Z]/.test(s[j])) j++;
      push({ t: "word", v: s.slice(i, j), sp });
      i = j;
      continue;
    }
    if (c === "\\") {
      const next = s[i + 1];
      if (next === undefined) throw new ParseError("dangling backslash");
      if (/[a-zA-Z]/.test(next)) {
        let j = i + 1;
        while (j < s.length && /[a-zA-Z]/.test(s[j])) j++;
        const name = s.slice(i + 1, j);
        if (TEXT_COMMANDS.has(name)) {
          let k = j;
          while (s[k] === " ") k++;
          if (s[k] !== "{") throw new ParseError(`\\${name} without a group`);
          const g = readBraceGroup(s, k);
          const inner = g.content.trim();
          const spaced = sp || /^\s/.test(g.content);
          if (/\d/.test(inner)) {
            // "\text{13}", "\text{12 students}": the content is the answer, read as math.
            const first = out.length;
            for (const tok of tokenize(inner)) push(tok);
            if (out.length > first) out[first].sp = spaced;
          } else if (/^[a-zA-Z]$/.test(g.content)) {
            // "\mathrm{e}", "\text{C}": a single letter is the symbol itself ("\text{ m}" stays a unit).
            push({ t: "word", v: inner, sp: spaced });
          } else push({ t: "text", v: g.content, sp });
          i = g.end;
          continue;
        }
        push({ t: "cmd", v: name, sp });
        i = j;
        continue;
      }
      // \{ \} \\ \| and other escaped symbols.
      push({ t: "cmd", v: next, sp });
      i += 2;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      push({ t: "op", v: two === "**" ? "^" : two === "==" ? "=" : two, sp });
      i += 2;
      continue;
    }
    push({ t: "op", v: c, sp });
    i++;
  }
  return out;
}
