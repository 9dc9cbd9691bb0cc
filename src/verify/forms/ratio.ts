/**
 * Ratios "a:b" (also with the ratio sign ∶ or a full-width colon): as a fraction a/b, so that
 * 22:42 and 11:21 and \frac{11}{21} are one ratio. Three-term ratios are left as written.
 */
const RATIO = /^\s*([^:∶：]+?)\s*[:∶：]\s*([^:∶：]+?)\s*$/;

export function mayBeRatio(text: string): boolean {
  return /[:∶：]/.test(text);
}

/** "a:b" as "\frac{a}{b}", or null when the text is not a two-term ratio of plain terms. */
export function ratioAsFraction(text: string): string | null {
  const t = text.replace(/^\$+|\$+$/g, "").trim();
  if (t.length > 200 || /=|\d:\d\d\s*(?:am|pm)/i.test(t)) return null;
  const m = RATIO.exec(t);
  if (!m) return null;
  const [a, b] = [m[1], m[2]];
  // Words ("Answer: 5") are not ratio terms.
  if (/[A-Za-z]{3,}/.test(`${a}${b}`.replace(/\\[a-zA-Z]+/g, ""))) return null;
  return `\\frac{${a}}{${b}}`;
}
