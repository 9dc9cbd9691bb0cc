import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Item } from "../../src/data/item.js";
import { readAllItems, writeItems } from "../../src/data/items-io.js";
import { manyItems, sampleItems, tempDir } from "../data/fixtures.js";
import { runCli, sharedData, skipWithoutSharedData } from "../helpers/cli.js";

const RAW = join(sharedData, "gaokao_bench/raw");

describe("rlev values (CLI)", () => {
  it.skipIf(skipWithoutSharedData("rlev values stats on GAOKAO raw"))(
    "stats on the GAOKAO raw folder: 175 exams and 2,811 items",
    async () => {
      const r = await runCli(["values", "stats", "--input", RAW]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("items          2811\n");
      expect(r.stdout).toContain("exams          175\n");
      expect(r.stdout).toContain("alpha*v > 1    84 items (2.99%) at alpha = 10");
      const j = await runCli(["values", "stats", "--input", RAW, "--json", "--alpha", "5"]);
      const s = JSON.parse(j.stdout);
      expect([s.count, s.exams, s.alpha]).toEqual([2811, 175, 5]);
      // alpha 5: v > 0.2 strictly: only the one 34-point item (34/150); the 30 items at 30/150 = 0.2 do not count.
      expect(s.clipped.count).toBe(1);
    },
  );

  it("stats on an item file; a malformed file gives exit 2 and one line", async () => {
    const dir = tempDir();
    await writeItems(join(dir, "a.parquet"), sampleItems());
    const r = await runCli(["values", "stats", "--input", join(dir, "a.parquet"), "--json"]);
    expect(r.code).toBe(0);
    // Values 5/150, 10/150, 15/150 in two exams (2020: 1/30 + 1/15 = 0.1; 2021: 0.1).
    expect(JSON.parse(r.stdout)).toMatchObject({
      count: 3,
      exams: 2,
      min: 5 / 150,
      median: 10 / 150,
      max: 0.1,
    });
    writeFileSync(join(dir, "bad.jsonl"), `${JSON.stringify({ ...sampleItems()[0], value: 0.5 })}\n`);
    const bad = await runCli(["values", "stats", "--input", join(dir, "bad.jsonl")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      new RegExp(`^rlev: ${dir}/bad.jsonl:1 field "value": value 0.5 != points/examTotal`),
    );
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("weak, shuffle and totals write valid item files", async () => {
    const dir = tempDir();
    const input = join(dir, "in.jsonl");
    const items: Item[] = manyItems(30).map((it) => ({
      ...it,
      difficulty: 1 + (Number(it.id.split("/")[1]) % 5),
    }));
    await writeItems(input, items);

    let r = await runCli(["values", "weak", "--input", input, "--output", join(dir, "weak.parquet")]);
    expect(r.code).toBe(0);
    const weak = await readAllItems(join(dir, "weak.parquet"));
    // difficulty d → class d → 1, 2, 4, 6, 8 / 100
    expect(weak.map((it) => it.value)).toEqual(
      items.map((it) => [0.01, 0.02, 0.04, 0.06, 0.08][(it.difficulty as number) - 1]),
    );

    r = await runCli([
      "values",
      "shuffle",
      "--input",
      input,
      "--output",
      join(dir, "shuf.jsonl"),
      "--seed",
      "7",
    ]);
    expect(r.code).toBe(0);
    const shuf = await readAllItems(join(dir, "shuf.jsonl"));
    const train = (xs: Item[]) =>
      xs
        .filter((it) => it.split === "train")
        .map((it) => it.value)
        .sort();
    expect(train(shuf)).toEqual(train(items));
    expect(r.stdout).toMatch(/^shuffled the values of 24 items \(seed 7\)/);

    r = await runCli([
      "values",
      "totals",
      "--input",
      input,
      "--output",
      join(dir, "sum.jsonl"),
      "--exam-total",
      "dataset",
    ]);
    expect(r.code).toBe(0);
    const summed = await readAllItems(join(dir, "sum.jsonl"));
    const perExam = new Map<string, number>();
    for (const it of summed) perExam.set(it.examId, (perExam.get(it.examId) ?? 0) + it.value);
    for (const total of perExam.values()) expect(total).toBeCloseTo(1, 12);
  });

  it("weak values need a difficulty: exit 2 naming the item's row and field, no output", async () => {
    const dir = tempDir();
    const input = join(dir, "in.jsonl");
    await writeItems(input, sampleItems()); // ex/1 has no difficulty
    const r = await runCli(["values", "weak", "--input", input, "--output", join(dir, "out.jsonl")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `rlev: ${input} row 0 field "difficulty": item ex/1: missing: weak values need a difficulty level 1–5 or meta.difficultyClass\n`,
    );
    expect(existsSync(join(dir, "out.jsonl"))).toBe(false);
  });
});

describe("rlev import (CLI)", () => {
  it.skipIf(skipWithoutSharedData("rlev import gaokao"))(
    "import gaokao to Parquet with the cross-check against gaokao_bench.jsonl",
    async () => {
      const dir = tempDir();
      const out = join(dir, "gaokao.parquet");
      const r = await runCli([
        "import",
        "gaokao",
        "--raw",
        RAW,
        "--output",
        out,
        "--cross-check",
        join(sharedData, "gaokao_bench/gaokao_bench.jsonl"),
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("2811 items compared, 0 value differences, 0 descriptive differences");
      expect(r.stdout).toContain("every item agrees on exam id, points, exam total and value");
      expect(r.stdout).toContain(`wrote 2811 items (175 exams, exam total: official) to ${out}`);
      expect((await readAllItems(out)).length).toBe(2811);
    },
  );

  it("a malformed raw file: exit 2, one line naming file, row and field, no output", async () => {
    const dir = tempDir();
    const raw = join(dir, "Data");
    mkdirSync(join(raw, "Objective_Questions"), { recursive: true });
    const file = join(raw, "Objective_Questions", "2010-2022_History_MCQs.json");
    writeFileSync(
      file,
      JSON.stringify({
        keywords: "2010-2022_History_MCQs",
        example: [{ year: "2015", category: "（新课标ⅰ）", question: "24. 材料", answer: ["A"], index: 0 }],
      }),
    );
    const out = join(dir, "out.jsonl");
    const r = await runCli(["import", "gaokao", "--raw", raw, "--output", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `rlev: ${file} row 0 field "example.0.score": Invalid input: expected number, received undefined\n`,
    );
    expect(readdirSync(dir)).toEqual(["Data"]);
  });

  it("import math and gsm8k from small files", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "m.jsonl"),
      `${JSON.stringify({ problem: "1+1", solution: "$\\boxed{2}$", level: "Level 2", type: "Algebra" })}\n`,
    );
    writeFileSync(join(dir, "g.jsonl"), `${JSON.stringify({ question: "2+2?", answer: "2+2=4\n#### 4" })}\n`);
    let r = await runCli([
      "import",
      "math",
      "--input",
      join(dir, "m.jsonl"),
      "--output",
      join(dir, "m.parquet"),
      "--split",
      "test",
    ]);
    expect(r).toMatchObject({
      code: 0,
      stdout: `wrote 1 items (1 exams, exam total: official) to ${join(dir, "m.parquet")}\n`,
    });
    expect(await readAllItems(join(dir, "m.parquet"))).toMatchObject([
      { reference: "2", value: 0.02, split: "test" },
    ]);
    r = await runCli([
      "import",
      "gsm8k",
      "--input",
      join(dir, "g.jsonl"),
      "--output",
      join(dir, "g.jsonl.out.jsonl"),
      "--weak",
      "steps",
    ]);
    expect(r.code).toBe(0);
    expect(await readAllItems(join(dir, "g.jsonl.out.jsonl"))).toMatchObject([
      { reference: "4", value: 0.01, difficulty: 1 },
    ]);
    r = await runCli([
      "import",
      "gsm8k",
      "--input",
      join(dir, "g.jsonl"),
      "--output",
      join(dir, "x.jsonl"),
      "--weak",
      "hard",
    ]);
    expect(r).toMatchObject({ code: 2, stderr: 'rlev: --weak must be one of uniform, steps (got "hard")\n' });
  });
});
