/**
 * A number stated with words after it, read against a reference that is a plain number: units
 * ("12 千克", "5分钟", "30元", "7 dozen eggs in 4 weeks", "$25,000/year", "25 cents"), ordinals
 * ("6th place", "第6名"), times on the hour ("2:00 pm" is 2, or 14 on a 24-hour clock), and the
 * Chinese multipliers 万 (10^4) and 亿 (10^8). The number that leads the statement is the answer,
 * as GSM8K's graders read "#### 7 dozen eggs".
 */
const LEAD =
  /^\s*(?:about|approximately|around|≈|约|大约)?\s*(?:第\s*)?[$€£¥￥]?\s*(-?\d[\d,]*(?:\.\d+)?)(\s*)(?:(st|nd|rd|th)\b)?\s*(.*)$/is;
const TIME = /^\s*(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.?|p\.m\.?)?\s*$/i;
/** Units of one or two letters (and a few of three) that may follow a number without a space. */
const SHORT_UNITS = new Set(
  "m cm mm km kg g mg ml mL l L s ms h hr hrs min ft in yd mi lb lbs oz mph km/h pm am".split(" "),
);

/** Words that join a number to another value rather than a unit to the number. */
const CONNECTIVES = new Set("and or to plus minus times over through than und et ou y".split(" "));

/** The reference side: a plain number ("7", "-2.5", "25,000"). */
const PLAIN_NUMBER = /^\s*[$]?\s*-?\d[\d,]*(?:\.\d+)?\s*$/;

export function isPlainNumber(text: string): boolean {
  return PLAIN_NUMBER.test(text);
}

function times(num: string, power: number): string {
  const [int, frac = ""] = num.split(".");
  const digits = int + frac.padEnd(power, "0");
  const point = int.length + power;
  const whole = digits.slice(0, point).replace(/^(-?)0+(?=\d)/, "$1");
  const rest = digits.slice(point);
  return rest === "" || /^0*$/.test(rest) ? whole : `${whole}.${rest}`;
}

/** The numbers the statement may stand for (usually one; a time on the hour gives two), or []. */
export function leadingQuantity(text: string): string[] {
  const t = text.replace(/^\$+|\$+$/g, "").trim();
  if (t.length > 200 || !/\d/.test(t.slice(0, 24))) return [];
  const time = TIME.exec(t);
  // "2:00 pm", "3 PM", "14:00" (a bare number is no time: it needs a colon or am/pm).
  if (time && (time[2] !== undefined || time[3] !== undefined)) {
    if (time[2] !== undefined && time[2] !== "00") return [];
    const h = Number(time[1]);
    const pm = /^p/i.test(time[3] ?? "");
    return pm && h < 12 ? [String(h), String(h + 12)] : [String(h)];
  }
  const m = LEAD.exec(t);
  if (!m) return [];
  const num = m[1].replace(/,(?=\d{3}(?!\d))/g, "");
  const ordinal = m[3];
  const rest = m[4].trim();
  // Nothing after it: the number needs no reading. An operator or a digit after it: an expression.
  if (rest === "" && ordinal === undefined && !/^\s*第/.test(t)) return [];
  if (/^[+\-*/^=<>(){}[\]|_\\.0-9]/.test(rest) && !/^\/\s*[A-Za-z\u4e00-\u9fff]/.test(rest)) return [];
  if (rest.startsWith("万")) return [times(num, 4)];
  if (rest.startsWith("亿")) return [times(num, 8)];
  // Words, a unit, a per-unit ("/year"), CJK units (千克, 分钟, 页, 元, 颗, 米, 名); not an
  // expression ("2x + 3": a one-letter name glued to the number, or operators after it).
  if (rest === "") return [num];
  if (/[=+*^\\<>]/.test(rest)) return [];
  // "1 和 3", "2或3", "3至5": a second value follows.
  if (/^(?:和|或|与|及|至|到|且|、|，|,)/.test(rest)) return [];
  if (/^(?:\/\s*)?[\u4e00-\u9fff%°]/.test(rest) || ordinal !== undefined) return [num];
  const word = /^(?:\/\s*)?([A-Za-z]+)/.exec(rest)?.[1] ?? "";
  // "3 and 5", "3 to 5", "2 or 3": a second value follows, so the first is not the answer.
  if (CONNECTIVES.has(word.toLowerCase())) return [];
  // Spaced from the number: a word of three letters or more, or a short unit. Glued to it ("5kg"):
  // only a short unit, since "2xy" is a product.
  const spaced = m[2] !== "" || rest.startsWith("/");
  if (SHORT_UNITS.has(word) || (spaced && word.length >= 3)) return [num];
  return [];
}
