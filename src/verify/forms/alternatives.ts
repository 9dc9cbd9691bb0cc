/**
 * A reference that lists equal forms of one answer separated by "##" (GAOKAO-Bench writes
 * "$\frac{3}{10} \# \# 0.3$"): each form is an accepted answer.
 */
const SEPARATOR = /\s*\\?#\s*\\?#\s*/;

export function mayListForms(text: string): boolean {
  return text.includes("#");
}

/** The forms listed, or [] when the text lists one. */
export function listedForms(text: string): string[] {
  const t = text.replace(/^\s*\$+|\$+\s*$/g, "");
  const parts = t.split(SEPARATOR).map((p) => p.trim());
  return parts.length > 1 && parts.every((p) => p !== "") ? parts : [];
}
