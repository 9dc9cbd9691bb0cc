/**
 * Answers that name statements by number ("(2)(3)", "(3)和(4)", "①③", "②、④": which of the
 * numbered statements are true): a set of numbers, "2, 3". Read as mathematics, "(2)(3)" would be
 * the product 6. Only a text made of such labels alone.
 */
const PAREN_LABELS = /^\s*(?:[(（]\s*\d{1,2}\s*[)）]\s*(?:[、,，]|和|及|与)?\s*){1,12}[.。]?\s*$/;
const CIRCLED_LABELS = /^\s*(?:[①-⑳]\s*(?:[、,，]|和|及|与)?\s*){1,20}[.。]?\s*$/;
const CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";

/** The statement numbers as a list ("2, 3"), or the text itself when it is not such an answer. */
export function statementNumbers(text: string): string {
  const first = text.charCodeAt(0);
  // Cheap test first: such an answer starts with "(", "（" or a circled number.
  if (first !== 40 && first !== 0xff08 && !(first >= 0x2460 && first <= 0x2473)) return text;
  if (PAREN_LABELS.test(text)) return (text.match(/\d{1,2}/g) ?? []).join(", ");
  if (CIRCLED_LABELS.test(text))
    return [...text]
      .filter((c) => CIRCLED.includes(c))
      .map((c) => String(CIRCLED.indexOf(c) + 1))
      .join(", ");
  return text;
}
