import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

let dir: string;
const rows = [
  { id: "q1", value: 0.5, correct: true, length: 10, difficulty: 1, sample: 0 },
  { id: "q1", value: 0.5, correct: false, length: 20, difficulty: 1, sample: 1 },
  { id: "q2", value: 0.3, correct: true, length: 30, difficulty: 2, sample: 0 },
  { id: "q2", value: 0.3, correct: true, length: 40, difficulty: 2, sample: 1 },
  { id: "q3", value: 0.2, correct: false, length: 50, difficulty: 2, sample: 0 },
  { id: "q3", value: 0.2, correct: 0.5, length: 60, difficulty: 2, sample: 1 },
];
const jsonl = (rs: object[]) => `${rs.map((r) => JSON.stringify(r)).join("\n")}\n`;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlev-metrics-"));
  await writeFile(file("a.jsonl"), jsonl(rows));
  await writeFile(file("b.jsonl"), jsonl(rows.map((r) => ({ ...r, correct: true }))));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("rlev metrics", () => {
  it("prints an aligned table", async () => {
    const r = await runCli(["metrics", "--input", file("a.jsonl"), "--k", "1,2"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // H-Acc 60.0%, length 35.0, density 60/35 = 1.714.
    expect(r.stdout).toMatch(/^H-Acc \(%\)\s+60\.0\s+\[/m);
    expect(r.stdout).toMatch(/^mean length \(tokens\)\s+35\.0/m);
    expect(r.stdout).toMatch(/^value density \(H-Acc %\/token\)\s+1\.714/m);
    expect(r.stdout).toMatch(/^pass@2 \(%\) \[3 prompts\]\s+66\.7/m);
    expect(r.stdout).toMatch(/by difficulty/);
  });
  it("prints JSON with fractions and null for missing CIs", async () => {
    const r = await runCli(["metrics", "--input", file("a.jsonl"), "--json", "--bootstrap", "0"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.metrics.hAcc.estimate).toBeCloseTo(0.6, 12);
    expect(j.metrics.acc.lo).toBeNull();
    expect(j.responses).toBe(6);
    expect(j.byDifficulty).toHaveLength(2);
  });
  it("summarizes seeds, compares against a baseline and writes --out", async () => {
    const out = file("report.json");
    const r = await runCli([
      "metrics",
      "--input",
      file("a.jsonl"),
      "--input",
      file("a.jsonl"),
      "--baseline",
      file("b.jsonl"),
      "--baseline",
      file("b.jsonl"),
      "--out",
      out,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/across 2 seeds/);
    expect(r.stdout).toMatch(/paired over 2 seeds/);
    const j = JSON.parse(await readFile(out, "utf8"));
    // Baseline all right: H-Acc 1.0, so the difference is 0.6 − 1.0 = −0.4 on both seeds.
    expect(j.comparison.metrics.hAcc.estimate).toBeCloseTo(-0.4, 12);
    expect(j.seeds.metrics.acc.perSeed).toHaveLength(2);
  });
  it("names file, line and field of a malformed line, exit 2, nothing on stdout", async () => {
    const bad = file("bad.jsonl");
    await writeFile(bad, jsonl([rows[0], { id: "q2", correct: true, length: 3 }]));
    const r = await runCli(["metrics", "--input", bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`${bad}:2 field "value"`);

    await writeFile(
      bad,
      `${JSON.stringify(rows[0])}\n{"id": "q9", "value": 0.1, "correct": "yes", "length": 3}\n`,
    );
    const r2 = await runCli(["metrics", "--input", bad]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`${bad}:2 field "correct"`);

    await writeFile(bad, `${JSON.stringify(rows[0])}\n{not json\n`);
    const r3 = await runCli(["metrics", "--input", bad]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain(`${bad}:2: invalid JSON`);

    await writeFile(bad, jsonl([rows[0], { ...rows[1], value: 0.4 }]));
    const r4 = await runCli(["metrics", "--input", bad]);
    expect(r4.code).toBe(2);
    expect(r4.stderr).toContain(`${bad}:2 field "value"`);
    expect(r4.stderr).not.toMatch(/\n\s+at /);
  });
  it("rejects bad options and missing files with exit 2", async () => {
    expect((await runCli(["metrics", "--input", file("a.jsonl"), "--k", "0"])).code).toBe(2);
    expect((await runCli(["metrics", "--input", file("a.jsonl"), "--level", "2"])).code).toBe(2);
    expect((await runCli(["metrics"])).code).toBe(2);
    const missing = await runCli(["metrics", "--input", file("nope.jsonl")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/file not found/);
    await writeFile(file("other.jsonl"), jsonl(rows.filter((r) => r.id !== "q3")));
    const mismatch = await runCli(["metrics", "--input", file("a.jsonl"), "--baseline", file("other.jsonl")]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/same prompts/);
  });
});
