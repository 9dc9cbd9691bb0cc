import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchmarkObjectiveScores } from "../../src/data/importers/gaokao-results.js";
import { CHROMIUM_ARGS, chromiumPath } from "../../src/report/browser.js";
import { runCli, sharedData, skipWithoutSharedData } from "../helpers/cli.js";

/**
 * `rlev grade` through the real CLI: a four-item fixture whose metrics are worked out by hand,
 * resuming, bad input, a GAOKAO-Bench result file, and the real GPT-4 files when present.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlev-grade-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const item = (
  id: string,
  examId: string,
  examTotal: number,
  points: number,
  answerType: string,
  reference: string,
  subject: string,
) => ({
  id,
  prompt: `question ${id}`,
  reference,
  answerType,
  examId,
  points,
  examTotal,
  value: points / examTotal,
  split: "test",
  meta: { subject },
});

// Exam E1 (total 150): i1 5 points, i2 10 points. Exam E2 (total 100): i3 6 points, i4 4 points.
const ITEMS = [
  item("i1", "E1", 150, 5, "single_choice", "B", "Math"),
  item("i2", "E1", 150, 10, "number", "12", "Math"),
  item("i3", "E2", 100, 6, "multi_choice", "BD", "Physics"),
  item("i4", "E2", 100, 4, "math", "\\frac{1}{2}", "Physics"),
];
// i1 right; i2 wrong (13 ≠ 12); i3 a correct strict subset (B of BD); i4 right (2/4 = 1/2).
// The input's own verdicts: i1 right, i2 right (disagrees), i3 half, i4 none.
const RESPONSES = [
  { id: "i1", response: "B is the only option that fits. The answer is B.", correct: true },
  { id: "i2", response: "Adding up gives \\boxed{13}.", score: 1 },
  { id: "i3", response: "Only B holds. The answer is B.", score: 0.5, pred: "B" },
  { id: "i4", response: "Hence the probability is \\boxed{\\frac{2}{4}}." },
];

const jsonl = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;

async function fixture(name: string, responses: unknown[] = RESPONSES) {
  const itemsFile = join(dir, `${name}-items.jsonl`);
  const responsesFile = join(dir, `${name}-responses.jsonl`);
  await writeFile(itemsFile, jsonl(ITEMS));
  await writeFile(responsesFile, jsonl(responses));
  return { itemsFile, responsesFile, out: join(dir, `${name}-out`) };
}

const readJsonl = async (file: string) =>
  (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("rlev grade on a hand-worked fixture", () => {
  it("writes graded.jsonl, metrics.json and report.html with the hand-computed numbers", async () => {
    const f = await fixture("hand");
    const r = await runCli([
      "grade",
      "--items",
      f.itemsFile,
      "--responses",
      f.responsesFile,
      "--out",
      f.out,
      "--multi-select",
      "half",
      "--threads",
      "1",
      "--bootstrap",
      "0",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/graded 4 responses to 4 items \(0 verdicts from an earlier run\)/);

    const rows = await readJsonl(join(f.out, "graded.jsonl"));
    expect(rows.map((x) => [x.id, x.score])).toEqual([
      ["i1", 1],
      ["i2", 0],
      ["i3", 0.5],
      ["i4", 1],
    ]);
    expect(rows[0]).toMatchObject({ value: 5 / 150, points: 5, correct: true, pred: "B", reason: "equal" });
    expect(rows[1]).toMatchObject({ correct: false, pred: "13", reason: "not_equal" });
    // A partial score is written into `correct` too, as `rlev metrics` reads it.
    expect(rows[2]).toMatchObject({ correct: 0.5, reason: "partial" });
    // No token counts in the input: length is characters / 4, rounded up.
    expect(rows[3].length).toBe(Math.ceil(RESPONSES[3].response.length / 4));
    expect(rows[3].lengthSource).toBe("chars/4");

    const m = JSON.parse(await readFile(join(f.out, "metrics.json"), "utf8"));
    const s = m.summary.metrics;
    // Acc = (1 + 0 + 0.5 + 1) / 4.
    expect(s.acc.estimate).toBeCloseTo(0.625, 12);
    // H-Acc = Σ v·score / Σ v = (5/150 + 0 + 0.06·0.5 + 0.04) / (15/150 + 0.10).
    expect(s.hAcc.estimate).toBeCloseTo((5 / 150 + 0.03 + 0.04) / 0.2, 12);
    // Top 20% by value: i2 alone (value 10/150), wrong; bottom 20%: i1 (5/150), right.
    expect(s.topAcc.estimate).toBe(0);
    expect(s.bottomAcc.estimate).toBe(1);
    // Points: 5 + 0 + 3 + 4 = 12 of 25.
    expect(m.points).toEqual({ earned: 12, total: 25, rate: 0.48 });
    expect(
      m.byExam.map((e: { key: string; earned: number; points: number; examTotal: number }) => [
        e.key,
        e.earned,
        e.points,
        e.examTotal,
      ]),
    ).toEqual([
      ["E1", 5, 15, 150],
      ["E2", 7, 10, 100],
    ]);
    expect(m.bySubject.map((g: { key: string; rate: number }) => [g.key, g.rate])).toEqual([
      ["Math", 5 / 15],
      ["Physics", 7 / 10],
    ]);
    // Math: i1 agrees with the input, i2 does not (both full-or-zero verdicts); Physics: i3's half agrees.
    expect(m.bySubject[0].given).toMatchObject({
      agree: 1,
      responses: 2,
      fullOrZero: { compared: 2, agree: 1 },
      blanks: { compared: 2, agree: 1 },
    });
    expect(m.bySubject[1].given).toMatchObject({
      agree: 1,
      responses: 1,
      fullOrZero: { compared: 0, agree: 0 },
    });
    expect(m.byQuestionType.map((g: { key: string }) => g.key)).toEqual([
      "math",
      "multi_choice",
      "number",
      "single_choice",
    ]);
    expect(m.verdicts).toEqual({ equal: 2, not_equal: 1, partial: 1 });
    // The input's verdicts on i1..i3: 5 + 10 + 3 = 18 of 21 points; only i2 disagrees.
    expect(m.given.responses).toBe(3);
    expect(m.given.points).toEqual({ earned: 18, total: 21, rate: 18 / 21 });
    expect(m.given.agreement).toEqual({ compared: 3, agree: 2, rate: 2 / 3 });
    expect(m.given.blankAgreement).toMatchObject({ compared: 3, agree: 2, notCompared: 0 });
    expect(m.given.disagreements).toEqual([{ id: "i2", sample: 0, score: 0, given: 1 }]);
    expect(m.grading).toEqual({ multiSelect: "half", approximate: false, blankPoints: null });

    const md = await readFile(join(f.out, "summary.md"), "utf8");
    expect(md).toContain("| rlev grade | 62.5% |");
    // Math: 5 of 15 points; the input's verdicts give 15 of 15.
    expect(md).toContain("| Math | 2 | 15 | 5 | 33.3% | 15 | 100.0% | -66.7 pt | 1 / 2 | 1 / 2 | 1 / 2 |");
    const html = await readFile(join(f.out, "report.html"), "utf8");
    expect(html).toContain("5 / 150");
    expect(html).toContain("7 / 100");
    expect(html).toContain('id="table-disagreements"');
    expect(html).toContain("Adding up gives \\boxed{13}.");
  }, 240_000);

  it("strict multi-select gives the subset nothing", async () => {
    const f = await fixture("strict");
    const r = await runCli([
      "grade",
      "--items",
      f.itemsFile,
      "--responses",
      f.responsesFile,
      "--out",
      f.out,
      "--threads",
      "1",
      "--bootstrap",
      "0",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const rows = await readJsonl(join(f.out, "graded.jsonl"));
    expect(rows[2]).toMatchObject({ id: "i3", score: 0, correct: false });
  }, 240_000);

  it("resumes: verdicts already made are read back, a torn last line is ignored, outputs are identical", async () => {
    const f = await fixture("resume");
    const args = [
      "grade",
      "--items",
      f.itemsFile,
      "--responses",
      f.responsesFile,
      "--out",
      f.out,
      "--multi-select",
      "half",
      "--threads",
      "1",
      "--bootstrap",
      "0",
    ];
    expect((await runCli(args)).code).toBe(0);
    const graded = await readFile(join(f.out, "graded.jsonl"), "utf8");
    const cacheFile = join(f.out, "grade.cache.jsonl");
    const lines = (await readFile(cacheFile, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(4);

    const again = await runCli(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/\(4 verdicts from an earlier run\)/);
    expect(await readFile(join(f.out, "graded.jsonl"), "utf8")).toBe(graded);

    // As if the first run had died while writing its third verdict.
    await writeFile(cacheFile, `${lines.slice(0, 2).join("\n")}\n${lines[2].slice(0, 30)}`);
    const resumed = await runCli(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/\(2 verdicts from an earlier run\)/);
    expect(await readFile(join(f.out, "graded.jsonl"), "utf8")).toBe(graded);

    // Another option is another verdict: nothing is read back under --multi-select strict.
    const strict = await runCli(args.filter((a) => a !== "--multi-select" && a !== "half"));
    expect(strict.stdout).toMatch(/\(0 verdicts from an earlier run\)/);
  }, 240_000);

  it("reads the same responses from Parquet", async () => {
    const f = await fixture("pq");
    const pq = join(dir, "responses.parquet");
    const { parquetWriteBuffer } = await import("hyparquet-writer");
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: "id", data: RESPONSES.map((x) => x.id) },
        { name: "response", data: RESPONSES.map((x) => x.response) },
      ],
    });
    await writeFile(pq, new Uint8Array(buffer));
    const r = await runCli([
      "grade",
      "--items",
      f.itemsFile,
      "--responses",
      pq,
      "--out",
      f.out,
      "--multi-select",
      "half",
      "--threads",
      "1",
      "--bootstrap",
      "0",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const rows = await readJsonl(join(f.out, "graded.jsonl"));
    expect(rows.map((x) => x.score)).toEqual([1, 0, 0.5, 1]);
  }, 240_000);
});

describe("rlev grade: the grading options reach the verifier", () => {
  it("--approximate accepts a rounded decimal; --blank-points weighs the blanks; blanks are written", async () => {
    const items = [
      item("x1", "E", 150, 5, "math", "\\frac{\\sqrt{3}}{2}", "Math"),
      { ...item("x2", "E", 150, 6, "choice_list", "", "English"), reference: ["A", "B", "C"] },
    ];
    const responses = [
      { id: "x1", response: "Numerically, \\boxed{0.866}." },
      { id: "x2", response: "（1）【答案】 A <eoa>\n（2）【答案】 B <eoa>\n（3）【答案】 D <eoa>" },
    ];
    const itemsFile = join(dir, "opt-items.jsonl");
    const responsesFile = join(dir, "opt-responses.jsonl");
    await writeFile(itemsFile, jsonl(items));
    await writeFile(responsesFile, jsonl(responses));
    const run = async (name: string, extra: string[]) => {
      const out = join(dir, name);
      const r = await runCli([
        "grade",
        "--items",
        itemsFile,
        "--responses",
        responsesFile,
        "--out",
        out,
        "--threads",
        "1",
        "--bootstrap",
        "0",
        ...extra,
      ]);
      expect(r.code, r.stderr).toBe(0);
      return readJsonl(join(out, "graded.jsonl"));
    };
    // Exact policy: 0.866 is not √3/2; two of three equal blanks: 2/3.
    const plain = await run("opt-plain", []);
    expect(plain.map((x) => x.score)).toEqual([0, 2 / 3]);
    expect(plain[1].blanks.map((b: { pred: string; score: number }) => [b.pred, b.score])).toEqual([
      ["A", 1],
      ["B", 1],
      ["D", 0],
    ]);
    // Opted in: the decimal counts; blanks worth 1, 1 and 2 points: 2 of 4.
    const opted = await run("opt-in", ["--approximate", "--blank-points", "1,1,2"]);
    expect(opted.map((x) => x.score)).toEqual([1, 0.5]);
    const m = JSON.parse(await readFile(join(dir, "opt-in", "metrics.json"), "utf8"));
    expect(m.grading).toEqual({ multiSelect: "strict", approximate: true, blankPoints: [1, 1, 2] });
  }, 240_000);
});

describe("rlev grade: bad input is one line naming file, line and field; exit 2; nothing written", () => {
  const cases: Array<[string, unknown[], RegExp]> = [
    ["no-response", [RESPONSES[0], { id: "i2" }], /responses\.jsonl:2 field "response": /],
    [
      "unknown-id",
      [RESPONSES[0], { id: "nope", response: "B" }],
      /responses\.jsonl:2 field "id": no item "nope"/,
    ],
    ["bad-score", [{ ...RESPONSES[0], score: 2 }], /responses\.jsonl:1 field "score": /],
    [
      "twice",
      [RESPONSES[0], { ...RESPONSES[0], sample: 0 }, { ...RESPONSES[0], sample: 0 }],
      /responses\.jsonl:2 field "sample": response 0 of "i1" is given twice/,
    ],
  ];
  for (const [name, responses, message] of cases)
    it(name, async () => {
      const f = await fixture(name, responses);
      const r = await runCli([
        "grade",
        "--items",
        f.itemsFile,
        "--responses",
        f.responsesFile,
        "--out",
        f.out,
        "--threads",
        "1",
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(join(f.out, "graded.jsonl"))).toBe(false);
      expect(existsSync(join(f.out, "metrics.json"))).toBe(false);
    });

  it("a bad option value", async () => {
    const f = await fixture("badopt");
    const r = await runCli([
      "grade",
      "--items",
      f.itemsFile,
      "--responses",
      f.responsesFile,
      "--out",
      f.out,
      "--multi-select",
      "lenient",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--multi-select must be one of strict, half, six-three-zero, five-two-zero, per-option/,
    );
    const bp = await runCli([
      "grade",
      "--items",
      f.itemsFile,
      "--responses",
      f.responsesFile,
      "--out",
      f.out,
      "--blank-points",
      "2,x",
    ]);
    expect(bp.code).toBe(2);
    expect(bp.stderr).toMatch(/--blank-points must be positive numbers/);
  }, 240_000);
});

/** A GAOKAO-Bench result file in the benchmark's shape (our own short texts). */
function resultFile(examples: Array<Record<string, unknown>>) {
  return {
    keyword: "2010-2022_Physics_MCQs",
    model_name: "test-model",
    prompt: "请你做一道物理选择题。",
    example: examples.map((e, i) => ({
      index: i,
      year: "2015",
      category: "（新课标Ⅰ）",
      score: 6,
      question: `${14 + i}. 关于某物理现象，下列说法正确的是（ ）\nA. 甲\nB. 乙\nC. 丙\nD. 丁`,
      analysis: "解：略。故选 BD。",
      ...e,
    })),
  };
}

describe("rlev grade on GAOKAO-Bench result files", () => {
  it("scores as the benchmark does (6 / 3 / 0 for physics), builds items from the file, and compares", () => {
    expect(benchmarkObjectiveScores("2010-2022_Physics_MCQs", ["BD"], ["BD"])).toEqual([1]);
    expect(benchmarkObjectiveScores("2010-2022_Physics_MCQs", ["B"], ["BD"])).toEqual([0.5]);
    expect(benchmarkObjectiveScores("2010-2022_Physics_MCQs", ["AB"], ["BD"])).toEqual([0]);
    // Upstream: nothing chosen is "nothing wrong" (3 points); a wrong number of answers is all wrong.
    expect(benchmarkObjectiveScores("2010-2022_Physics_MCQs", [""], ["BD"])).toEqual([0.5]);
    expect(benchmarkObjectiveScores("2010-2022_Math_I_MCQs", [], ["A"])).toEqual([0]);
    expect(
      benchmarkObjectiveScores("2010-2022_English_Reading_Comp", ["A", "C", "D"], ["A", "B", "D"]),
    ).toEqual([1, 0, 1]);
  });

  it("grades a result file end to end", async () => {
    const file = join(dir, "test-model_2010-2022_Physics_MCQs.json");
    await writeFile(
      file,
      JSON.stringify(
        resultFile([
          {
            standard_answer: ["BD"],
            model_answer: ["BD"],
            model_output: "【解析】乙和丁都对。<eoe>\n【答案】 BD <eoa>",
          },
          {
            standard_answer: ["BD"],
            model_answer: ["B"],
            model_output: "【解析】只有乙对。<eoe>\n【答案】 B <eoa>",
          },
          {
            standard_answer: ["A"],
            model_answer: ["C"],
            model_output: "【解析】丙对。<eoe>\n【答案】 C <eoa>",
          },
        ]),
      ),
    );
    const out = join(dir, "gaokao-out");
    const r = await runCli([
      "grade",
      "--responses",
      file,
      "--out",
      out,
      "--multi-select",
      "six-three-zero",
      "--threads",
      "1",
      "--bootstrap",
      "0",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(await readFile(join(out, "metrics.json"), "utf8"));
    expect(m.format).toBe("gaokao-bench");
    expect(m.model).toBe("test-model");
    // The benchmark's own: 6 + 3 + 0 of 18 points.
    expect(m.given.points).toEqual({ earned: 9, total: 18, rate: 0.5 });
    expect(m.given.sources).toEqual(["extraction"]);
    const rows = await readJsonl(join(out, "graded.jsonl"));
    // Items built by the importer's rules: gaokao/<keyword>/<index>, points = score, exam from year and paper.
    expect(rows.map((x) => x.id)).toEqual([0, 1, 2].map((i) => `gaokao/2010-2022_Physics_MCQs/${i}`));
    expect(rows[0]).toMatchObject({
      points: 6,
      examId: "2015|新课标I|理科综合",
      examTotal: 300,
      subject: "Physics",
    });
    expect(rows.map((x) => x.given.score)).toEqual([1, 0.5, 0]);
  }, 240_000);

  it("a malformed example is named by file, row and field", async () => {
    const file = join(dir, "broken.json");
    await writeFile(
      file,
      JSON.stringify(resultFile([{ standard_answer: ["A"], model_answer: ["A"], model_output: 7 }])),
    );
    const r = await runCli(["grade", "--responses", file, "--out", join(dir, "broken-out")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.json row 0 field "example\.0\.model_output": /);
  });
});

const executablePath = chromiumPath();
describe.skipIf(!existsSync(executablePath))("rlev grade's report in headless Chromium", () => {
  it("shows the results, the points per exam and the items to read, with no errors or requests", async () => {
    const { chromium } = await import("playwright-core");
    const f = await fixture("browser");
    const r = await runCli([
      "grade",
      "--items",
      f.itemsFile,
      "--responses",
      f.responsesFile,
      "--out",
      f.out,
      "--multi-select",
      "half",
      "--threads",
      "1",
      "--bootstrap",
      "0",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const url = pathToFileURL(join(f.out, "report.html")).href;
    const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() === "error" || msg.type() === "warning") problems.push(msg.text());
      });
      page.on("pageerror", (e) => problems.push(e.message));
      page.on("request", (req) => {
        if (req.url() !== url) problems.push(`request: ${req.url()}`);
      });
      await page.goto(url, { waitUntil: "load" });
      const acc = page.locator("table.results tbody tr").first().locator("td").first();
      expect(await acc.locator(".mean").textContent()).toBe("62.5%");
      const exams = page.locator("#table-exams table tbody tr");
      expect(await exams.count()).toBe(2);
      expect((await exams.first().locator("td").nth(1).textContent())?.trim()).toBe("5 / 150");
      const listed = page.locator("#table-disagreements table tbody tr");
      expect(await listed.count()).toBe(1);
      expect(await listed.first().locator("td").first().textContent()).toBe("i2");
      expect(await listed.first().isVisible()).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe("rlev grade on GPT-4's GAOKAO-Bench outputs (../shared/data/real_outputs)", () => {
  const folder = join(sharedData, "real_outputs/gaokao_bench_gpt4");
  it.skipIf(skipWithoutSharedData("rlev grade on real GPT-4 outputs"))(
    "reads all five files, matches the benchmark's own scoring rates, and rebuilds the same items as rlev import gaokao",
    async () => {
      const out = join(dir, "gpt4");
      const r = await runCli(
        [
          "grade",
          "--responses",
          folder,
          "--out",
          out,
          "--multi-select",
          "six-three-zero",
          "--bootstrap",
          "0",
        ],
        { timeoutMs: 300_000 },
      );
      expect(r.code, r.stderr).toBe(0);
      const m = JSON.parse(await readFile(join(out, "metrics.json"), "utf8"));
      expect(m.items).toBe(512);
      // The benchmark's own rates, computed independently from model_answer / model_correction_score
      // (upstream's OBJ_score_evaluation.py rules): earned / total points per file.
      const expected: Record<string, [number, number]> = {
        "2010-2022_Chinese_Modern_Lit": [159, 261],
        "2010-2022_English_Reading_Comp": [888, 940],
        "2010-2022_Math_I_Fill-in-the-Blank": [160.5, 405],
        "2010-2022_Math_I_MCQs": [575, 1070],
        "2010-2022_Physics_MCQs": [213, 384],
      };
      for (const k of m.byKeyword) {
        expect(k.points).toBe(expected[k.key][1]);
        expect(k.given.earned).toBeCloseTo(expected[k.key][0], 9);
      }
      // The items built from the files equal those of `rlev import gaokao` on the raw data.
      const imported = join(dir, "gaokao-items.jsonl");
      const imp = await runCli([
        "import",
        "gaokao",
        "--raw",
        join(sharedData, "gaokao_bench/raw"),
        "--output",
        imported,
      ]);
      expect(imp.code, imp.stderr).toBe(0);
      const withItems = join(dir, "gpt4-items");
      const r2 = await runCli(
        [
          "grade",
          "--items",
          imported,
          "--responses",
          folder,
          "--out",
          withItems,
          "--multi-select",
          "six-three-zero",
          "--bootstrap",
          "0",
        ],
        { timeoutMs: 300_000 },
      );
      expect(r2.code, r2.stderr).toBe(0);
      const a = await readJsonl(join(out, "graded.jsonl"));
      const b = await readJsonl(join(withItems, "graded.jsonl"));
      // One reference differs: the result file's standard_answer of Math I fill-in 64 is "(2)}", the
      // raw data's "(2)(3)" (the benchmark scored against the former). Everything else is the same item.
      const differ = a
        .filter((x, i) => x.reference !== b[i].reference)
        .map((x) => [x.id, x.reference, b[a.indexOf(x)].reference]);
      expect(differ).toEqual([["gaokao/2010-2022_Math_I_Fill-in-the-Blank/64", "(2)}", "(2)(3)"]]);
      const strip = (x: Record<string, unknown>) => ({
        id: x.id,
        value: x.value,
        points: x.points,
        examId: x.examId,
        answerType: x.answerType,
      });
      expect(b.map(strip)).toEqual(a.map(strip));
      const same = (x: Record<string, unknown>) => x.id !== differ[0][0];
      expect(b.filter(same).map((x) => x.score)).toEqual(a.filter(same).map((x) => x.score));
    },
    600_000,
  );
});

describe("rlev grade killed mid-run and run again (../shared/data/real_outputs)", () => {
  const folder = join(sharedData, "real_outputs/gaokao_bench_gpt4");
  it.skipIf(skipWithoutSharedData("rlev grade interrupted on real GPT-4 outputs"))(
    "continues from the verdicts already made and ends with the uninterrupted run's graded.jsonl",
    async () => {
      const { spawn } = await import("node:child_process");
      const { statSync } = await import("node:fs");
      const { repoRoot } = await import("../helpers/cli.js");
      // A generous time limit: on a loaded machine a 3 s limit could time out a response in one run only.
      const args = [
        "--responses",
        folder,
        "--multi-select",
        "six-three-zero",
        "--threads",
        "1",
        "--bootstrap",
        "0",
        "--timeout-ms",
        "60000",
      ];
      const whole = join(dir, "whole");
      expect((await runCli(["grade", ...args, "--out", whole], { timeoutMs: 300_000 })).code).toBe(0);

      const out = join(dir, "killed");
      const cache = join(out, "grade.cache.jsonl");
      const child = spawn(
        process.execPath,
        ["--import", "tsx", join(repoRoot, "src/cli/run-main.ts"), "grade", ...args, "--out", out],
        {
          stdio: "ignore",
        },
      );
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      // Kill as soon as the first batch of verdicts is on disk.
      while (!(existsSync(cache) && statSync(cache).size > 0)) await new Promise((r) => setTimeout(r, 20));
      child.kill("SIGKILL");
      const code = await exited;
      // Usually killed mid-run; on a very fast machine it may have finished: then nothing is left to do.
      const again = await runCli(["grade", ...args, "--out", out], { timeoutMs: 300_000 });
      expect(again.code, again.stderr).toBe(0);
      const reused = Number(/\((\d+) verdicts from an earlier run\)/.exec(again.stdout)?.[1]);
      expect(reused).toBeGreaterThan(0);
      if (code === null) expect(reused).toBeLessThan(512);
      expect(await readFile(join(out, "graded.jsonl"), "utf8")).toBe(
        await readFile(join(whole, "graded.jsonl"), "utf8"),
      );
    },
    600_000,
  );
});
