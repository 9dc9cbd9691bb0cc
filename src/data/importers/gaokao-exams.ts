/**
 * How GAOKAO-Bench questions map onto real exam papers: subject from the upstream file name,
 * paper and its official total, and the normalized paper variant. These tables follow the mapping
 * table of the data set's own README exactly (docs/data.md#importers).
 */

export const GAOKAO_SUBJECTS = [
  "Chinese",
  "English",
  "Math_I",
  "Math_II",
  "Physics",
  "Chemistry",
  "Biology",
  "Politics",
  "History",
  "Geography",
] as const;
export type GaokaoSubject = (typeof GAOKAO_SUBJECTS)[number];

/** The exam paper each subject is part of: the sciences share 理科综合, the humanities 文科综合. */
export const PAPER_OF_SUBJECT: Readonly<Record<GaokaoSubject, string>> = {
  Chinese: "语文",
  English: "英语",
  Math_I: "数学(理)",
  Math_II: "数学(文)",
  Physics: "理科综合",
  Chemistry: "理科综合",
  Biology: "理科综合",
  Politics: "文科综合",
  History: "文科综合",
  Geography: "文科综合",
};

/** Official totals of the papers: 150 for the single-subject papers, 300 for the combined ones. */
export const PAPER_TOTAL: Readonly<Record<string, number>> = {
  语文: 150,
  英语: 150,
  "数学(理)": 150,
  "数学(文)": 150,
  理科综合: 300,
  文科综合: 300,
};

/** Official totals of each subject's section inside its paper. */
export const SECTION_TOTAL: Readonly<Record<GaokaoSubject, number>> = {
  Chinese: 150,
  English: 150,
  Math_I: 150,
  Math_II: 150,
  Physics: 110,
  Chemistry: 100,
  Biology: 90,
  Politics: 100,
  History: 100,
  Geography: 100,
};

/**
 * Subject of an upstream file name (its `keywords`), e.g. "2010-2022_Math_II_MCQs" → Math_II.
 * Math_II is tested before Math_I, which is its prefix.
 */
export function subjectOfKeyword(keyword: string): GaokaoSubject | undefined {
  const tokens: [RegExp, GaokaoSubject][] = [
    [/_Math_II_/, "Math_II"],
    [/_Math_I_/, "Math_I"],
    [/_Chinese_/, "Chinese"],
    [/_English_/, "English"],
    [/_Physics_/, "Physics"],
    [/_Chemistry_/, "Chemistry"],
    [/_Biology_/, "Biology"],
    [/_Political_Science_|_Politics_/, "Politics"],
    [/_History_/, "History"],
    [/_Geography_/, "Geography"],
  ];
  const k = `_${keyword}_`;
  return tokens.find(([re]) => re.test(k))?.[1];
}

/** The data set README's mapping table, raw `category` → `category_norm`, verbatim (docs/data.md#importers). */
export const CATEGORY_TABLE: Readonly<Record<string, string>> = {
  "（新课标ⅰ）": "新课标I",
  "（新课标Ⅰ）": "新课标I",
  "（新课标i）": "新课标I",
  "（新课标Ⅰ卷）": "新课标I",
  "（新课标ⅱ）": "新课标II",
  "（新课标Ⅱ）": "新课标II",
  "（新课标ii）": "新课标II",
  "（新课标ⅲ）": "新课标III",
  "（全国卷Ⅲ）": "新课标III",
  "（新课标iii）": "新课标III",
  "（新课标Ⅲ）": "新课标III",
  "（全国卷iii）": "新课标III",
  "（新课标）": "新课标",
  "（新课标卷）": "新课标",
  "（全国甲卷）": "全国甲卷",
  "（甲卷）": "全国甲卷",
  "（全国乙卷）": "全国乙卷",
  "（全国卷ii）": "全国卷II",
  "（全国卷ⅱ）": "全国卷II",
  "（解析版）": "解析版",
};

const ROMAN: [RegExp, string][] = [
  [/ⅲ|Ⅲ|iii/gi, "III"],
  [/ⅱ|Ⅱ|ii/gi, "II"],
  [/ⅰ|Ⅰ|(?<![a-z])i(?![a-z])/gi, "I"],
];

/**
 * The rules behind the table, for variants it does not list (e.g. later GAOKAO-Bench releases):
 * strip the brackets and a trailing 卷, unify full-width and lower-case Roman numerals,
 * 甲卷/乙卷 → 全国甲卷/全国乙卷, and 全国卷III from 2016 on → 新课标III (the same papers).
 * 全国卷II in 2010–2011 stays apart: it is the old 大纲 paper.
 */
export function normalizeCategoryByRule(raw: string, year: number): string {
  let s = raw.replace(/[（）()\s]/g, "");
  for (const [re, out] of ROMAN) s = s.replace(re, out);
  if (/^新课标(I{1,3})?卷$/.test(s)) s = s.replace(/卷$/, "");
  if (s === "甲卷" || s === "乙卷") s = `全国${s}`;
  if (s === "全国卷III" && year >= 2016) s = "新课标III";
  return s;
}

/** Normalized paper variant: the README table when it lists the raw label, else its rules. */
export function normalizeCategory(raw: string, year: number): string {
  return CATEGORY_TABLE[raw] ?? normalizeCategoryByRule(raw, year);
}

/** The reconstructed exam: year, normalized paper variant and paper. */
export function gaokaoExamId(year: string, categoryNorm: string, paper: string): string {
  return `${year}|${categoryNorm}|${paper}`;
}

export const QUESTION_TYPES = [
  "single_choice",
  "multi_choice",
  "multi_question_choice",
  "five_out_of_seven",
  "cloze",
  "correction",
  "subjective",
] as const;
export type GaokaoQuestionType = (typeof QUESTION_TYPES)[number];

/** Upstream objective files whose items hold several MCQs on one passage. */
const MULTI_QUESTION_FILES =
  /_(Chinese_Lang_and_Usage_MCQs|Chinese_Modern_Lit|English_Fill_in_Blanks|English_Reading_Comp|Geography_MCQs)$/;

/**
 * The upstream question type, from the folder and file name (the README's per-file table). For
 * file names it does not know, objective items with several answers count as multi-question
 * choice and subjective items as open-ended.
 */
export function questionTypeOf(keyword: string, objective: boolean, nAnswers: number): GaokaoQuestionType {
  if (objective) {
    if (/_Physics_MCQs$/.test(keyword)) return "multi_choice";
    if (/_English_Cloze_Test$/.test(keyword)) return "five_out_of_seven";
    if (MULTI_QUESTION_FILES.test(keyword)) return "multi_question_choice";
    return nAnswers > 1 ? "multi_question_choice" : "single_choice";
  }
  if (/(Fill-in-the-Blank|Dictation|Cloze_Passage)$/.test(keyword)) return "cloze";
  if (/Error_Correction$/.test(keyword)) return "correction";
  return "subjective";
}

/** Text markers of elective (选考/选修) questions, looked for in the first 300 characters. */
const ELECTIVE_MARKERS =
  /选修|选考|选做|【旅游地理】|【环境保护】|坐标系与参数方程|不等式选讲|历史上重大改革回眸|近代社会的民主思想与实践|20\s*世纪的战争与和平|中外历史人物评说/;

/**
 * The data set README's heuristic (docs/data.md#importers): questions a student answers only one of, among 2–4 options.
 * Score rules for open-ended items (math 10, history 15, biology 15, chemistry 15 except 2010
 * 大纲, physics 5) plus text markers. Approximate by design.
 */
export function likelyElective(q: {
  subject: GaokaoSubject;
  questionType: GaokaoQuestionType;
  score: number;
  year: string;
  categoryNorm: string;
  question: string;
}): boolean {
  if (q.questionType === "subjective") {
    const s = q.score;
    if ((q.subject === "Math_I" || q.subject === "Math_II") && s === 10) return true;
    if ((q.subject === "History" || q.subject === "Biology") && s === 15) return true;
    if (q.subject === "Chemistry" && s === 15 && !(q.year === "2010" && q.categoryNorm === "全国卷II"))
      return true;
    if (q.subject === "Physics" && s === 5) return true;
  }
  return ELECTIVE_MARKERS.test(q.question.slice(0, 300));
}

/** The question number a question text starts with ("9. (5 分) …" → 9), if any. */
export function questionNumberOf(question: string): number | undefined {
  const m = /^\s*(\d{1,2})\s*[.．、]/.exec(question);
  return m ? Number(m[1]) : undefined;
}
