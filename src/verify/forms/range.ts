/**
 * A range written as a chain of inequalities around a function value ("0<f(x)<1", "-1 ≤ g(t) ≤ 3"):
 * the function value stands for the variable of the interval, so the chain reads as "0<x<1",
 * which the interval (0,1) equals. Only the middle of a two-sided chain, and only an application
 * of a one-letter function to one letter, is replaced: "x^2 < 4" keeps its meaning.
 */
const CHAIN =
  /^(.+?)(<|\\leq?slant|\\leq?|≤|<=)\s*([A-Za-z](?:_\{?\w+\}?)?\s*\(\s*[A-Za-z]\s*\))\s*(<|\\leq?slant|\\leq?|≤|<=)(.+)$/;

export function mayBeFunctionRange(text: string): boolean {
  return text.includes("(") && /<|\\le|≤/.test(text);
}

/** "0<f(x)<1" as "0<x<1", or null. */
export function functionRangeAsVariable(text: string): string | null {
  const t = text.replace(/^\$+|\$+$/g, "").trim();
  if (t.length > 200) return null;
  const m = CHAIN.exec(t);
  if (!m) return null;
  return `${m[1]}${m[2]} x ${m[4]}${m[5]}`;
}
