/**
 * The option letters a statement chooses, read the way a person reads them: the first group of
 * standalone letters A–H ("for sure D", "B、C", "(C) because …"), skipping letters that a negation
 * names as distractors ("it can't be A or B", "不是 A", "non A", "not A but C"). And statements that
 * no option is correct ("无正确答案", "none of the options"), which choose nothing.
 */

/** Letters joined into one choice by these separators: "B, C", "B、C", "B和C", "B and C", "B & C". */
const JOIN = /^(?:\s*(?:[,，、&;；]|\band\b|和|与|及|以及)\s*|\s+)$/;
/** Words that make the letters right after them distractors. */
const NEGATION =
  /(?:\bnot|n't|\bnever|\bno|\bexcept|\brather than|\binstead of|\bneither|\bnor|\bnon|\bpas|\bnicht|\bkein|\bni|不是|不选|不能选|而非|并非|非|排除|除了|而不是|不应选|错误的是)\s*(?:be\s+|option\s+|choice\s+|选项\s*|答案\s*)?$/i;

const MAX_STATEMENT = 400;

/** A lower-case word after "A" that makes it an article ("A family of four"), not a verb a choice takes ("A is right"). */
const ARTICLE_FOLLOWER =
  /^\s+(?!(?:is|was|are|and|or|but|because|since|as|which|seems|must|should|would|could|can|fits|matches|gives|best|correct|only|holds|satisfies|describes|explains|states|shows|answers|applies|works|remains|again|too|also|here|then|alone)\b)[a-z]{2,}/;

interface LetterGroup {
  letters: string[];
  start: number;
  end: number;
}

/** Standalone capital letters A–H or runs of them ("BC", "ACD"), not parts of words or names. */
function letterGroups(s: string): LetterGroup[] {
  const out: LetterGroup[] = [];
  const re = /(?<![A-Za-z0-9_\\])[A-H]{1,8}(?![A-Za-z0-9_])/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const word = m[0];
    // "A man ...": an article at a sentence start, not an option (a lone A followed by a lower-case word).
    if (word === "A" && ARTICLE_FOLLOWER.test(s.slice(m.index + 1, m.index + 24))) continue;
    // Runs of one repeated letter ("AA") or a subscripted name ("AB" of a line) read as letters here;
    // math context (AB=4, $AB$) is ruled out by the caller, which passes text, not mathematics.
    const prev = out[out.length - 1];
    const gap = prev ? s.slice(prev.end, m.index) : "";
    if (prev && JOIN.test(gap.replace(/[()（）]/g, " ")) && !/\bor\b|或/.test(gap)) {
      prev.letters.push(...word);
      prev.end = m.index + word.length;
    } else out.push({ letters: [...word], start: m.index, end: m.index + word.length });
  }
  return out;
}

/** Strips LaTeX and markdown wrappers around letters: \text{B}, \mathrm{B}, \boxed{B}, $B$, **B**. */
function plain(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/\\(?:text|textbf|mathrm|mathbf|boxed|fbox)\s*\{([^{}]*)\}/g, "$1")
    .replace(/[$*]/g, " ");
}

/**
 * The letters the statement chooses: the first letter group that no negation names. Null when it
 * names none. A letter group is letters joined by separators ("B, C", "B和C"); "A or B" is not
 * one choice, so it reads as the first letter A only when nothing else is stated.
 */
export function statedLetters(text: string): string[] | null {
  const s = plain(text.length > MAX_STATEMENT ? text.slice(0, MAX_STATEMENT) : text);
  for (const g of letterGroups(s)) {
    const before = s.slice(Math.max(0, g.start - 24), g.start);
    if (NEGATION.test(before)) continue;
    return [...new Set(g.letters)];
  }
  return null;
}

/** "No option is correct" in Chinese and English: the response declines every option. */
const NO_OPTION =
  /无正确(?:答案|选项)|没有(?:一个)?正确(?:的)?(?:答案|选项)|(?:选项|答案)(?:中)?(?:都|均|全)(?:不|错)|都不(?:正确|对|符合)|(?:没有|无)(?:符合|满足)(?:题意|条件|要求)的(?:选项|答案)|(?:题目|题干|选项)(?:可能)?(?:有误|存在错误|出错|错误)|\bnone of the (?:above|options|choices|answers)\b|\bno (?:correct|valid|right) (?:answer|option|choice)\b|\bnot among the (?:options|choices)\b/i;

/** True when the statement says that no option is correct (or that the question is wrong). */
export function declinesEveryOption(text: string): boolean {
  return NO_OPTION.test(text.length > MAX_STATEMENT ? text.slice(-MAX_STATEMENT) : text);
}
