/**
 * A Chinese sentence that states a value ("解方程得到n=8.", "所以|b|的值只能为2。", "最小值为$\frac{250}{81}$"):
 * the value is the last stretch of non-Chinese text, when a stating word (为, 是, 得到, 等于 …)
 * comes right before it and nothing but a unit or a particle of Chinese follows it. "x=2时，y取最小值" states no value (a clause follows), so it reads as none.
 */
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CJK_RUN =
  /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff0f\uff1a-\uff20，。；：？！、“”‘’（）【】]+/g;
/** Chinese allowed after the value: units, 时/处 are clauses so they are not here. */
const TRAILER =
  /^[，。；;,.！!\s]*(?:[个只颗页元米秒分钟小时天年克千吨度倍人次条种名位岁块张本辆]{1,3})?[，。；;,.！!\s]*$/;

/** Words that state a value: 为, 是, 得(到), 等于, 即, 约; optionally with a colon. */
const STATING = /(?:为|是|得到?|等于|即|约|有|取)\s*[:：]?\s*$/;

export function hasCjk(text: string): boolean {
  return CJK.test(text);
}

/** The value a Chinese sentence ends on, or null. */
export function valueInChinese(text: string): string | null {
  if (!hasCjk(text) || text.length > 4_000) return null;
  let last: { start: number; end: number } | null = null;
  let prevEnd = 0;
  CJK_RUN.lastIndex = 0;
  const runs: Array<{ start: number; end: number }> = [];
  for (let m = CJK_RUN.exec(text); m; m = CJK_RUN.exec(text)) {
    if (m.index > prevEnd) runs.push({ start: prevEnd, end: m.index });
    prevEnd = m.index + m[0].length;
  }
  if (prevEnd < text.length) runs.push({ start: prevEnd, end: text.length });
  for (let i = runs.length - 1; i >= 0; i--) {
    const body = text.slice(runs[i].start, runs[i].end).trim();
    if (/[0-9A-Za-z\\]/.test(body)) {
      last = runs[i];
      break;
    }
  }
  if (last === null) return null;
  if (!TRAILER.test(text.slice(last.end))) return null;
  // The value must be stated ("…为2", "得到n=8", "最小值是 -4"), not listed ("1 和 3") or named
  // by a word of mathematics ("根号3", which chinese-math.ts reads).
  if (!STATING.test(text.slice(Math.max(0, last.start - 8), last.start))) return null;
  const value = text
    .slice(last.start, last.end)
    .trim()
    .replace(/^[,.:;=\s]+|[,.;:\s]+$/g, "")
    .replace(/^\$+|\$+$/g, "")
    .trim();
  return value === "" ? null : value;
}
