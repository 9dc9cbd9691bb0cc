/**
 * Mathematics written in Chinese words: 根号3 (√3), 负2 (−2), 无穷大 (∞), 三分之二 / 3分之2 (2/3),
 * and the list words 或 / 和 ("2或3" is the list 2, 3; "x<1或x>2" the union of two ranges; 且,
 * an intersection, is left alone). Rewritten to LaTeX the parser reads.
 */
const DIGITS: Record<string, string> = {
  零: "0",
  一: "1",
  二: "2",
  两: "2",
  三: "3",
  四: "4",
  五: "5",
  六: "6",
  七: "7",
  八: "8",
  九: "9",
  十: "10",
};

const NUMERAL = "(?:\\d+|[零一二两三四五六七八九十])";
const FRACTION = new RegExp(`(${NUMERAL})\\s*分之\\s*(${NUMERAL})`, "g");

const digit = (s: string) => DIGITS[s] ?? s;

/** True when the text has Chinese mathematical words this module rewrites. */
export function hasChineseMath(text: string): boolean {
  return /根号|分之|无穷|负|或|和/.test(text);
}

/** The text with Chinese mathematical words rewritten as LaTeX. */
export function chineseMathToLatex(text: string): string {
  return (
    text
      .replace(FRACTION, (_m, den: string, num: string) => `\\frac{${digit(num)}}{${digit(den)}}`)
      .replace(/根号\s*\(?\s*([0-9a-zA-Z.]+)\s*\)?/g, "\\sqrt{$1}")
      .replace(/正无穷大?/g, "+\\infty")
      .replace(/负无穷大?/g, "-\\infty")
      .replace(/无穷大/g, "\\infty")
      .replace(/负\s*(?=[\d\\(])/g, "-")
      // "2或3", "x<1或x>2", "1和3": a list of values (a union of ranges), written with commas.
      .replace(/\s*(?:或者?|和)\s*/g, ", ")
  );
}
