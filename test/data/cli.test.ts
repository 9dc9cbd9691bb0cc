import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readAllItems, writeItems } from "../../src/data/items-io.js";
import { runCli } from "../helpers/cli.js";
import { manyItems, sampleItems, tempDir } from "./fixtures.js";

const jsonl = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;

describe("rlev data (CLI)", () => {
  it("a malformed line: exit code 2, one line naming file, line and field, and no output file", async () => {
    const dir = tempDir();
    const input = join(dir, "in.jsonl");
    const [a, b, c] = sampleItems();
    writeFileSync(input, jsonl([a, b, { ...c, points: "fifteen" }]));
    for (const output of [join(dir, "out.parquet"), join(dir, "out.jsonl")]) {
      const r = await runCli(["data", "convert", "--input", input, "--output", output]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `rlev: ${input}:3 field "points": Invalid input: expected number, received string\n`,
      );
      expect(existsSync(output)).toBe(false);
    }
    expect(readdirSync(dir)).toEqual(["in.jsonl"]);
  });

  it("a line that is not JSON: exit code 2 and the line number", async () => {
    const dir = tempDir();
    const input = join(dir, "in.jsonl");
    writeFileSync(input, `${JSON.stringify(sampleItems()[0])}\nnot json\n`);
    const r = await runCli(["data", "validate", "--input", input]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      new RegExp(`^rlev: ${input.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2: invalid JSON`),
    );
  });

  it("converts JSONL → Parquet → JSONL without loss and validates", async () => {
    const dir = tempDir();
    const items = manyItems(40);
    await writeItems(join(dir, "a.jsonl"), items);
    let r = await runCli([
      "data",
      "convert",
      "--input",
      join(dir, "a.jsonl"),
      "--output",
      join(dir, "b.parquet"),
      "--row-group-size",
      "16",
    ]);
    expect(r).toMatchObject({ code: 0, stdout: `wrote 40 items to ${join(dir, "b.parquet")}\n` });
    r = await runCli([
      "data",
      "convert",
      "--input",
      join(dir, "b.parquet"),
      "--output",
      join(dir, "c.jsonl"),
    ]);
    expect(r.code).toBe(0);
    expect(await readAllItems(join(dir, "c.jsonl"))).toEqual(items);
    r = await runCli(["data", "validate", "--input", join(dir, "b.parquet")]);
    // manyItems: 40 items over 7 exams; every 5th (i = 0, 5, …, 35) is a test item → 8 test, 32 train.
    expect(r).toMatchObject({
      code: 0,
      stdout: `ok ${join(dir, "b.parquet")}: 40 items, 7 exams (test 8, train 32)\n`,
    });
  });

  it("splits by exam into train and test files", async () => {
    const dir = tempDir();
    await writeItems(join(dir, "a.jsonl"), manyItems(70, 10));
    const r = await runCli([
      "data",
      "split",
      "--input",
      join(dir, "a.jsonl"),
      "--train-output",
      join(dir, "train.jsonl"),
      "--test-output",
      join(dir, "test.parquet"),
      "--test-fraction",
      "0.3",
      "--seed",
      "3",
    ]);
    expect(r.code).toBe(0);
    const train = await readAllItems(join(dir, "train.jsonl"));
    const test = await readAllItems(join(dir, "test.parquet"));
    // 10 exams of 7 items each; 30% of 70 = 21 items = exactly 3 exams.
    expect(test.length).toBe(21);
    expect(train.length).toBe(49);
    const trainExams = new Set(train.map((it) => it.examId));
    expect(test.every((it) => !trainExams.has(it.examId) && it.split === "test")).toBe(true);
    expect(r.stdout).toMatch(/^train 49 items \/ 7 exams, test 21 items \/ 3 exams/);
  });

  it("split defaults come from the config's data section; flags override them", async () => {
    const dir = tempDir();
    await writeItems(join(dir, "a.jsonl"), manyItems(70, 10));
    const viaSet = await runCli([
      "data",
      "split",
      "--input",
      join(dir, "a.jsonl"),
      "--output",
      join(dir, "s.jsonl"),
      "--set",
      "data.testFraction=0.3",
      "seed=3",
    ]);
    expect(viaSet.code).toBe(0);
    // The same split as --test-fraction 0.3 --seed 3 above: 21 test items in 3 exams.
    expect(viaSet.stdout).toMatch(/^train 49 items \/ 7 exams, test 21 items \/ 3 exams .*seed 3\)/);
    const flagWins = await runCli([
      "data",
      "split",
      "--input",
      join(dir, "a.jsonl"),
      "--output",
      join(dir, "s.jsonl"),
      "--set",
      "data.testFraction=0.3",
      "--test-fraction",
      "0",
    ]);
    expect(flagWins.stdout).toMatch(/, test 0 items \/ 0 exams/);
    const bad = await runCli([
      "data",
      "split",
      "--input",
      join(dir, "a.jsonl"),
      "--output",
      join(dir, "s.jsonl"),
      "--set",
      "data.testFraction=2",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^rlev: command-line overrides field "data.testFraction": /);
  });

  it("usage mistakes exit with code 2", async () => {
    const dir = tempDir();
    await writeItems(join(dir, "a.jsonl"), sampleItems());
    const r = await runCli([
      "data",
      "split",
      "--input",
      join(dir, "a.jsonl"),
      "--output",
      join(dir, "o.jsonl"),
      "--test-fraction",
      "1.5",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('rlev: --test-fraction must be in [0, 1] (got "1.5")\n');
    const r2 = await runCli([
      "data",
      "convert",
      "--input",
      join(dir, "a.jsonl"),
      "--output",
      join(dir, "o.csv"),
    ]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('unknown item file type ".csv"');
  });
});
