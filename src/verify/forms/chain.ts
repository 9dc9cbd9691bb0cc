/**
 * A derivation ending in its value ("故焦距为 $2c=4$", "$\frac{S_{10}}{S_5}=\frac{100a}{25a}=4$"):
 * the last side of an equality chain, when it is a constant (digits, π, roots, fractions; no
 * variables). Used for a prediction found in prose, never to shorten a reference.
 */
const CONSTANT_SIDE =
  /^[-+]?\s*(?:[\d.\s+\-*/^(){}]|\\(?:frac|dfrac|tfrac|sqrt|pi|cdot|times|left|right)|π|√)+$/;

export function finalSideOfChain(text: string): string | null {
  const t = text.replace(/^\$+|\$+$/g, "").trim();
  if (t.length > 2_000 || !t.includes("=") || /[<>≤≥]|\\[lg]e/.test(t)) return null;
  const last = t.slice(t.lastIndexOf("=") + 1).trim();
  return last !== "" && CONSTANT_SIDE.test(last) && /\d/.test(last) ? last : null;
}
