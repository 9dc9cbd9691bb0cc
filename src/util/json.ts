import { InputError } from "./errors.js";

/**
 * Offset of the first JSON syntax error in `text`, or -1 if it is valid. Node 20's JSON.parse
 * does not report positions, so a small scanner finds where the document goes wrong.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 92) {
        i++;
        const e = text[i];
        if (e === "u") {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? "")) fail();
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      } else i++;
    }
    fail();
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  // Iterative over nesting so that deeply nested input cannot overflow the stack.
  const stack: Array<"{" | "["> = [];
  const key = () => {
    ws();
    if (text[i] !== '"') fail();
    string();
    ws();
    if (text[i] !== ":") fail();
    i++;
  };
  /** Starts a value; returns true when it opened a container whose first value is still to come. */
  const startValue = (): boolean => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      i++;
      ws();
      if (text[i] === (c === "{" ? "}" : "]")) {
        i++;
        return false;
      }
      stack.push(c);
      if (c === "{") key();
      return true;
    }
    if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) number();
    else fail();
    return false;
  };
  try {
    let needValue = true;
    for (;;) {
      if (needValue) {
        needValue = startValue();
        continue;
      }
      ws();
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      if (text[i] === ",") {
        i++;
        if (top === "{") key();
        needValue = true;
      } else if (text[i] === (top === "{" ? "}" : "]")) {
        stack.pop();
        i++;
      } else fail();
    }
    ws();
    return i < n ? i : -1;
  } catch (at) {
    if (typeof at === "number") return Math.min(at, n);
    throw at;
  }
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++)
    if (text.charCodeAt(k) === 10) {
      line++;
      lineStart = k + 1;
    }
  return { line, column: offset - lineStart + 1 };
}

/** JSON.parse with an InputError naming the file and the line and column of a syntax error. */
export function parseJsonDocument(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const at = jsonErrorOffset(text);
    const { line, column } = lineColumnAt(text, at < 0 ? text.length : at);
    const what =
      at >= text.length || at < 0 ? "unexpected end of input" : `unexpected ${JSON.stringify(text[at])}`;
    throw new InputError({ file, line }, `invalid JSON at column ${column}: ${what}`);
  }
}

/**
 * Dotted path of the first field where two JSON values differ (keys in sorted order; arrays are
 * compared whole), "(root)" for a top-level difference, or null if they are equal. Paths for which
 * `ignore` returns true are skipped, with everything below them.
 */
export function firstDifference(
  a: unknown,
  b: unknown,
  ignore: (path: string) => boolean = () => false,
  path = "",
): string | null {
  if (path && ignore(path)) return null;
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = firstDifference(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        ignore,
        path ? `${path}.${k}` : k,
      );
      if (d) return d;
    }
    return null;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? null : path || "(root)";
}
