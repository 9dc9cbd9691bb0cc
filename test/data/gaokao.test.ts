import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crossCheckGaokao } from "../../src/data/importers/cross-check.js";
import { gaokaoAnswer, importGaokao, isGaokaoRawDir } from "../../src/data/importers/gaokao.js";
import {
  CATEGORY_TABLE,
  normalizeCategory,
  normalizeCategoryByRule,
  PAPER_OF_SUBJECT,
  PAPER_TOTAL,
  questionNumberOf,
  questionTypeOf,
  subjectOfKeyword,
} from "../../src/data/importers/gaokao-exams.js";
import type { Item } from "../../src/data/item.js";
import { duplicateKey, textHash } from "../../src/data/text-hash.js";
import { InputError } from "../../src/util/errors.js";
import { applyExamTotals } from "../../src/values/value.js";
import { sharedData, skipWithoutSharedData } from "../helpers/cli.js";
import { tempDir } from "./fixtures.js";

const RAW = join(sharedData, "gaokao_bench/raw");
const REFERENCE = join(sharedData, "gaokao_bench/gaokao_bench.jsonl");

describe("GAOKAO exams: subjects, papers, variants", () => {
  it("subjects from the 32 upstream file names (Math_II before its prefix Math_I)", () => {
    expect(subjectOfKeyword("2010-2022_Math_II_MCQs")).toBe("Math_II");
    expect(subjectOfKeyword("2010-2022_Math_I_Fill-in-the-Blank")).toBe("Math_I");
    expect(subjectOfKeyword("2010-2022_Political_Science_Open-ended_Questions")).toBe("Politics");
    expect(subjectOfKeyword("2010-2022_Chinese_Lang_and_Usage_MCQs")).toBe("Chinese");
    expect(subjectOfKeyword("2012-2022_English_Cloze_Test")).toBe("English");
    expect(subjectOfKeyword("2010-2022_Art_MCQs")).toBeUndefined();
  });

  it("papers and official totals", () => {
    expect(PAPER_OF_SUBJECT.Physics).toBe("理科综合");
    expect(PAPER_OF_SUBJECT.History).toBe("文科综合");
    expect(PAPER_OF_SUBJECT.Math_II).toBe("数学(文)");
    expect([PAPER_TOTAL.语文, PAPER_TOTAL.英语, PAPER_TOTAL["数学(理)"], PAPER_TOTAL["数学(文)"]]).toEqual([
      150, 150, 150, 150,
    ]);
    expect([PAPER_TOTAL.理科综合, PAPER_TOTAL.文科综合]).toEqual([300, 300]);
  });

  it("the mapping table of the data README, every row", () => {
    // README §1.2, verbatim: raw → norm.
    const rows: [string, string][] = [
      ["（新课标ⅰ）", "新课标I"],
      ["（新课标Ⅰ）", "新课标I"],
      ["（新课标i）", "新课标I"],
      ["（新课标Ⅰ卷）", "新课标I"],
      ["（新课标ⅱ）", "新课标II"],
      ["（新课标Ⅱ）", "新课标II"],
      ["（新课标ii）", "新课标II"],
      ["（新课标ⅲ）", "新课标III"],
      ["（全国卷Ⅲ）", "新课标III"],
      ["（新课标iii）", "新课标III"],
      ["（新课标Ⅲ）", "新课标III"],
      ["（全国卷iii）", "新课标III"],
      ["（新课标）", "新课标"],
      ["（新课标卷）", "新课标"],
      ["（全国甲卷）", "全国甲卷"],
      ["（甲卷）", "全国甲卷"],
      ["（全国乙卷）", "全国乙卷"],
      ["（全国卷ii）", "全国卷II"],
      ["（全国卷ⅱ）", "全国卷II"],
      ["（解析版）", "解析版"],
    ];
    expect(Object.entries(CATEGORY_TABLE).sort()).toEqual(rows.slice().sort());
    for (const [raw, norm] of rows) expect(normalizeCategory(raw, 2020)).toBe(norm);
  });

  it("the rules behind the table reproduce it, and treat 全国卷III before 2016 apart", () => {
    // Years as in the data: 全国卷III rows are 2020, 全国卷II rows 2010–2011, 新课标 2010–2012.
    const year = (raw: string) => (["（全国卷ii）", "（全国卷ⅱ）", "（新课标）"].includes(raw) ? 2011 : 2020);
    for (const [raw, norm] of Object.entries(CATEGORY_TABLE))
      expect(normalizeCategoryByRule(raw, year(raw))).toBe(norm);
    expect(normalizeCategoryByRule("（全国卷Ⅲ）", 2015)).toBe("全国卷III");
    expect(normalizeCategoryByRule("（乙卷）", 2022)).toBe("全国乙卷");
    expect(normalizeCategory("（新高考Ⅰ卷）", 2023)).toBe("新高考I卷");
  });

  it("question types by file, answer types by question type", () => {
    expect(questionTypeOf("2010-2022_Physics_MCQs", true, 1)).toBe("multi_choice");
    expect(questionTypeOf("2010-2022_Chinese_Lang_and_Usage_MCQs", true, 1)).toBe("multi_question_choice");
    expect(questionTypeOf("2012-2022_English_Cloze_Test", true, 5)).toBe("five_out_of_seven");
    expect(questionTypeOf("2010-2022_History_MCQs", true, 1)).toBe("single_choice");
    expect(questionTypeOf("2023_New_MCQs", true, 3)).toBe("multi_question_choice");
    expect(questionTypeOf("2010-2022_Math_I_Fill-in-the-Blank", false, 1)).toBe("cloze");
    expect(questionTypeOf("2012-2022_English_Language_Error_Correction", false, 1)).toBe("correction");
    expect(questionTypeOf("2010-2022_History_Open-ended_Questions", false, 1)).toBe("subjective");

    expect(gaokaoAnswer("multi_choice", "Physics", ["BC"])).toEqual({
      answerType: "multi_choice",
      reference: "BC",
    });
    expect(gaokaoAnswer("multi_question_choice", "Chinese", ["B"])).toEqual({
      answerType: "single_choice",
      reference: "B",
    });
    expect(gaokaoAnswer("five_out_of_seven", "English", ["A", "G", "C", "E", "D"])).toEqual({
      answerType: "choice_list",
      reference: ["A", "G", "C", "E", "D"],
    });
    expect(gaokaoAnswer("cloze", "Math_I", "$\\frac{1}{2}$\n")).toEqual({
      answerType: "math",
      reference: "$\\frac{1}{2}$",
    });
    expect(gaokaoAnswer("cloze", "Chinese", "（1）金就砺则利\n").answerType).toBe("free_text");
    expect(gaokaoAnswer("cloze", "English", "was\nactually\n").answerType).toBe("free_text");
    expect(gaokaoAnswer("subjective", "History", "答案").answerType).toBe("free_text");
  });

  it("question numbers and text fingerprints", () => {
    expect(questionNumberOf("9. (5 分) 已知")).toBe(9);
    expect(questionNumberOf(" 21．阅读")).toBe(21);
    expect(questionNumberOf("（一）文言文阅读")).toBeUndefined();
    // sha1("ab") = da23614e02469a0d7c7bd1bdab5c9c474b1904dc; whitespace is ignored.
    expect(textHash(" a \n b ")).toBe("da23614e0246");
    expect(duplicateKey("a．b。")).toBe(duplicateKey("a b"));
    expect(textHash("a．b")).not.toBe(textHash("ab"));
  });
});

/** A tiny raw folder in the upstream layout, with hand-computed points and values. */
function writeRaw(dir: string, extra: Record<string, unknown> = {}): void {
  mkdirSync(join(dir, "Objective_Questions"), { recursive: true });
  mkdirSync(join(dir, "Subjective_Questions"), { recursive: true });
  const q = (o: Record<string, unknown>) => ({ analysis: "解析", ...o });
  const file = (sub: string, keyword: string, example: unknown[]) =>
    writeFileSync(join(dir, sub, `${keyword}.json`), JSON.stringify({ keywords: keyword, example }));
  file("Objective_Questions", "2010-2022_Math_I_MCQs", [
    q({
      year: "2020",
      category: "（新课标ⅰ）",
      question: "1. (5 分) 设集合",
      answer: ["D"],
      index: 0,
      score: 5,
    }),
  ]);
  file("Objective_Questions", "2010-2022_English_Reading_Comp", [
    q({
      year: "2020",
      category: "（新课标Ⅰ）",
      question: "A passage",
      answer: ["A", "B", "C", "D"],
      index: 0,
      score: 2,
    }),
  ]);
  file("Objective_Questions", "2010-2022_Physics_MCQs", [
    q({ year: "2021", category: "（甲卷）", question: "14. 如图", answer: ["BC"], index: 0, score: 6 }),
  ]);
  file("Subjective_Questions", "2010-2022_Math_I_Fill-in-the-Blank", [
    q({ year: "2020", category: "（新课标i）", question: "13. 若 x=1", answer: "$2$\n", index: 0, score: 5 }),
  ]);
  file("Subjective_Questions", "2010-2022_Chinese_Language_Literary_Text_Reading", [
    q({
      year: "2020",
      category: "（新课标Ⅱ）",
      question: "文学类文本阅读：山。",
      answer: "答案一",
      index: 3,
      score: 15,
    }),
    q({
      year: "2020",
      category: "（新课标ⅱ）",
      question: "文学类 文本阅读：山．",
      answer: "答案一",
      index: 4,
      score: 15,
    }),
  ]);
  for (const [path, text] of Object.entries(extra)) writeFileSync(join(dir, path), String(text));
}

describe("GAOKAO importer on a hand-made raw folder", () => {
  it("points, answer types, exams and values", async () => {
    const dir = tempDir();
    writeRaw(dir);
    expect(await isGaokaoRawDir(dir)).toBe(true);
    const items = await importGaokao(dir);
    const byId = new Map(items.map((it) => [it.id, it]));
    // Objective items: points = score × sub-answers.
    expect(byId.get("gaokao/2010-2022_Math_I_MCQs/0")).toMatchObject({
      reference: "D",
      answerType: "single_choice",
      examId: "2020|新课标I|数学(理)",
      points: 5,
      examTotal: 150,
      value: 5 / 150,
    });
    expect(byId.get("gaokao/2010-2022_English_Reading_Comp/0")).toMatchObject({
      reference: ["A", "B", "C", "D"],
      answerType: "choice_list",
      examId: "2020|新课标I|英语",
      points: 8, // 2 × 4
      value: 8 / 150,
    });
    expect(byId.get("gaokao/2010-2022_Physics_MCQs/0")).toMatchObject({
      reference: "BC",
      answerType: "multi_choice",
      examId: "2021|全国甲卷|理科综合",
      points: 6,
      examTotal: 300,
      value: 0.02,
      meta: { sectionId: "2021|全国甲卷|理科综合|Physics", sectionTotal: 110 },
    });
    expect(byId.get("gaokao/2010-2022_Math_I_Fill-in-the-Blank/0")).toMatchObject({
      reference: "$2$",
      answerType: "math",
      examId: "2020|新课标I|数学(理)",
      meta: { questionNumber: 13 },
    });
    // The second copy differs only in spaces and punctuation: flagged, and not counted in the exam sum.
    const first = byId.get("gaokao/2010-2022_Chinese_Language_Literary_Text_Reading/3") as Item;
    const copy = byId.get("gaokao/2010-2022_Chinese_Language_Literary_Text_Reading/4") as Item;
    expect(first.meta.duplicateOf).toBeNull();
    expect(copy.meta.duplicateOf).toBe(first.id);
    expect(copy.examId).toBe("2020|新课标II|语文");
    // In-data-set totals: 数学(理) 2020 新课标I = 5 + 5 = 10; 语文 = 15 (copy excluded).
    const summed = new Map(applyExamTotals(items, "dataset").map((it) => [it.id, it]));
    expect(summed.get("gaokao/2010-2022_Math_I_MCQs/0")).toMatchObject({ examTotal: 10, value: 0.5 });
    expect(summed.get(copy.id)).toMatchObject({ examTotal: 15, value: 1 });
    expect(items.every((it) => it.meta.examTotalRule === "official" && it.meta.valueSource === "exam")).toBe(
      true,
    );
    expect(items[0].meta.analysis).toBe("解析");
    expect((await importGaokao(dir, { includeAnalysis: false }))[0].meta.analysis).toBeUndefined();
  });

  it("a bad field names file, row and field", async () => {
    const dir = tempDir();
    writeRaw(dir);
    const file = join(dir, "Subjective_Questions", "2010-2022_Math_I_Fill-in-the-Blank.json");
    writeFileSync(
      file,
      JSON.stringify({
        keywords: "2010-2022_Math_I_Fill-in-the-Blank",
        example: [
          { year: "2020", category: "（新课标ⅰ）", question: "q", answer: "1", index: 0, score: 5 },
          { year: "2020", category: "（新课标ⅰ）", question: "q2", answer: "1", index: 1, score: "five" },
        ],
      }),
    );
    const err = await importGaokao(dir).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.location).toEqual({ file, row: 1, field: "example.1.score" });
  });

  it("invalid JSON names the line; an unknown subject names the keywords field", async () => {
    const dir = tempDir();
    writeRaw(dir);
    const file = join(dir, "Objective_Questions", "2010-2022_Math_I_MCQs.json");
    writeFileSync(file, '{"keywords": "x",\n "example": [\n  {oops}\n]}');
    expect((await importGaokao(dir).catch((e) => e)).location).toEqual({ file, line: 3 });
    writeFileSync(file, JSON.stringify({ keywords: "2010-2022_Art_MCQs", example: [] }));
    expect((await importGaokao(dir).catch((e) => e)).location).toEqual({ file, field: "keywords" });
  });

  it("an empty folder is not a raw folder", async () => {
    const dir = tempDir();
    expect(await isGaokaoRawDir(dir)).toBe(false);
    expect(await importGaokao(dir).catch((e) => e)).toBeInstanceOf(InputError);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("GAOKAO importer on the real upstream files (../shared/data)", () => {
  const skip = skipWithoutSharedData("GAOKAO-Bench import");

  it.skipIf(skip)("2,811 items in 175 exams, per paper as in the README", async () => {
    const items = await importGaokao(RAW);
    expect(items.length).toBe(2811);
    const examsPerPaper = new Map<string, Set<string>>();
    for (const it of items) {
      const paper = String(it.meta.paper);
      if (!examsPerPaper.has(paper)) examsPerPaper.set(paper, new Set());
      examsPerPaper.get(paper)?.add(it.examId);
    }
    expect(Object.fromEntries([...examsPerPaper].map(([p, s]) => [p, s.size]))).toEqual({
      语文: 29,
      英语: 30,
      "数学(理)": 28,
      "数学(文)": 28,
      理科综合: 32,
      文科综合: 28,
    });
    const dups = items.filter((it) => it.meta.duplicateOf);
    expect(dups.length).toBe(8);
    expect(new Set(dups.map((it) => it.examId))).toEqual(new Set(["2020|新课标II|语文"]));
    expect(items.filter((it) => it.meta.likelyElective).length).toBe(255);
  });

  it.skipIf(skip)(
    "every item's exam id, points, exam total and value agree with gaokao_bench.jsonl",
    async () => {
      const items = await importGaokao(RAW);
      const official = await crossCheckGaokao(items, REFERENCE);
      expect(official).toMatchObject({
        checked: 2811,
        onlyImported: [],
        onlyReference: [],
        differences: [],
        agrees: true,
      });
      // Descriptive fields agree too: question type, text hash, duplicate flag, elective flag.
      expect(official.notes).toEqual([]);
      // The in-data-set rule against value_in_dataset / exam_points_in_dataset.
      const summed = await crossCheckGaokao(applyExamTotals(items, "dataset"), REFERENCE);
      expect(summed.differences).toEqual([]);
    },
  );

  it.skipIf(skip)("the cross-check explains a difference it finds", async () => {
    const items = await importGaokao(RAW);
    const changed = items.map((it) =>
      it.id === "gaokao/2010-2022_Physics_MCQs/0" ? { ...it, points: 3, value: 3 / 300 } : it,
    );
    const r = await crossCheckGaokao(changed, REFERENCE);
    expect(r.agrees).toBe(false);
    expect(r.differences.map((d) => d.field)).toEqual(["points", "value"]);
    expect(r.differences[1].explanation).toMatch(/the points differ \(3 vs 6\)/);
  });
});
