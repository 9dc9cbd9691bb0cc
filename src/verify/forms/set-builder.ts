/**
 * Set-builder notation for a range: "\{x | x>1\}", "\{x \mid 0<x<2\}", "{x|x≥1}" describe the
 * set by its condition, which reads as the interval it defines ("x>1" is (1, +∞)).
 */
const BUILDER = /^\s*\\?\{\s*([a-zA-Z])\s*(?:\||\\mid|∣|:)\s*(.+?)\s*\\?\}\s*$/;

export function mayBeSetBuilder(text: string): boolean {
  return text.includes("{") && /\||\\mid|∣|:/.test(text);
}

/** The condition of a set-builder set, or null. */
export function setBuilderCondition(text: string): string | null {
  const t = text.replace(/^\$+|\$+$/g, "").trim();
  if (t.length > 400) return null;
  const m = BUILDER.exec(t);
  if (m === null) return null;
  const [, variable, condition] = m;
  return condition.includes(variable) ? condition : null;
}
