/**
 * The content of the last `\boxed{…}` (or `\fbox{…}`) in a MATH solution, braces balanced, the
 * way MATH answers are conventionally extracted. Also handles the brace-less form `\boxed 5`.
 * Returns undefined when there is none or its braces never close.
 */
export function lastBoxed(solution: string): string | undefined {
  const at = Math.max(solution.lastIndexOf("\\boxed"), solution.lastIndexOf("\\fbox"));
  if (at < 0) return undefined;
  let i = at + (solution.startsWith("\\boxed", at) ? 6 : 5);
  if (solution[i] === " ") {
    // "\boxed 5$": the answer runs to the next "$" or whitespace.
    const rest = solution.slice(i + 1);
    const m = /^[^\s$]+/.exec(rest);
    return m ? m[0] : undefined;
  }
  if (solution[i] !== "{") return undefined;
  let depth = 0;
  const start = i + 1;
  for (; i < solution.length; i++) {
    const c = solution[i];
    if (c === "\\") {
      i++; // an escaped brace (\{ or \}) does not open or close a group
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) return solution.slice(start, i);
    }
  }
  return undefined;
}
