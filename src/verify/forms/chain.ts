/**
 * A derivation ending in its value ("故焦距为 $2c=4$", "$\frac{S_{10}}{S_5}=\frac{100a}{25a}=4$"):
 * the last side of an equality chain, when it is a constant (digits, π, roots, fractions; no
 * variables). Used for a prediction found in prose, never to shorten a reference.
 */
const CONSTANT_SIDE =
  /^[-+]?\s*(?:[\d.\s+\-*/^(){}]|\\(?:frac|dfrac|tfrac|sqrt|pi|cdot|times|left|right)|π|√)+$/;

/** A left side that names a quantity: "2c", "S_{10}", "|AB|", "\\cos\\angle A" (with a coefficient). */
const NAMED_SIDE =
  /^\s*\d*\s*(?:\|[^|=]{1,20}\||\\[a-zA-Z]+\s*(?:\{[^{}]{1,20}\}|[A-Za-z])?|[A-Za-z](?:\s*_\s*(?:\{[^{}]{1,12}\}|\w))?)\s*$/;

export function finalSideOfChain(text: string): string | null {
  const t = text.replace(/^\$+|\$+$/g, "").trim();
  if (t.length > 2_000 || !t.includes("=") || /[<>≤≥]|\\[lg]e/.test(t)) return null;
  const sides = t.split("=");
  // A chain of two or more equalities is a derivation; one equality only when its left side names
  // a quantity ("2c=4"), not when it is an equation in its own right ("(x-3)^2+(y-1)^2=1").
  if (sides.length < 3 && !NAMED_SIDE.test(sides[0])) return null;
  const last = sides[sides.length - 1].trim();
  return last !== "" && CONSTANT_SIDE.test(last) && /\d/.test(last) ? last : null;
}
