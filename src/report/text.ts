/**
 * Text and number helpers shared by the SVG charts and the HTML report. Everything here is pure
 * and deterministic, so the same data always renders to the same bytes.
 */

/**
 * Replaces what XML 1.0 forbids even when escaped (C0 controls other than tab, LF and CR; lone
 * surrogates; U+FFFE and U+FFFF) with U+FFFD, so one odd label cannot break a whole document.
 */
function xmlSafe(text: string): string {
  let out = "";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let bad = (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else bad = true;
    } else if (c >= 0xdc00 && c <= 0xdfff) bad = true;
    if (bad) {
      out += `${text.slice(start, i)}\uFFFD`;
      start = i + 1;
    }
  }
  return start === 0 ? text : out + text.slice(start);
}

/** Escapes text for XML/HTML text content and double- or single-quoted attribute values. */
export function escapeXml(text: string): string {
  return xmlSafe(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A coordinate for SVG output: at most 2 decimals, no trailing zeros, never "-0". */
export function coord(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) || r === 0 ? "0" : String(r);
}

/** How numbers are shown: `percent` takes a fraction (0.57) and shows 57.0%. */
export type NumberFormat = "percent" | "number" | "integer";

/** Formats one value; `digits` defaults to 1 for percent, 2 for number, 0 for integer. */
export function formatNumber(v: number, format: NumberFormat = "number", digits?: number): string {
  if (!Number.isFinite(v)) return "—";
  if (format === "percent") return `${fixed(v * 100, digits ?? 1)}%`;
  if (format === "integer") return fixed(v, digits ?? 0);
  return fixed(v, digits ?? 2);
}

function fixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  // "-0.0" reads as a sign error in a table; a rounded zero is zero.
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** Decimals needed to print multiples of `step` exactly (0.25 → 2, 5 → 0). */
export function decimalsFor(step: number): number {
  if (!Number.isFinite(step) || step <= 0) return 0;
  for (let d = 0; d <= 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 12;
}

/**
 * Estimated rendered width of a string in the charts' sans-serif font. Used only for layout (legend
 * wrapping, margins); deliberately generous so labels never collide.
 */
export function textWidth(text: string, fontSize: number): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    // East Asian wide characters (CJK, kana, hangul, fullwidth forms) take a full em.
    if (
      code >= 0x1100 &&
      (code <= 0x115f ||
        (code >= 0x2e80 && code <= 0xa4cf) ||
        (code >= 0xac00 && code <= 0xd7a3) ||
        (code >= 0xf900 && code <= 0xfaff) ||
        (code >= 0xff00 && code <= 0xff60) ||
        code >= 0x20000)
    )
      units += 1;
    else if ("il.,:;|!'’ ".includes(ch)) units += 0.3;
    else if ("fjrt()[]-".includes(ch)) units += 0.4;
    else if ("mwMW—".includes(ch)) units += 0.9;
    else if (ch >= "A" && ch <= "Z") units += 0.68;
    else units += 0.58;
  }
  return units * fontSize;
}
