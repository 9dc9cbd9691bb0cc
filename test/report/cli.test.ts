import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { sampleReportData } from "./sample-data.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlev-report-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("rlev report", () => {
  it("renders saved report data to one HTML file", async () => {
    const input = join(dir, "report-data.json");
    const output = join(dir, "out", "report.html");
    await writeFile(input, JSON.stringify(sampleReportData(), null, 2));
    const r = await runCli(["report", "--input", input, "--output", output]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*report\.html \(\d+ KB\)\n$/);
    const html = await readFile(output, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<table class="results">');
    expect(html).toContain("RLEV demo: RLOO on synthetic value-labelled exams");
  });

  it("rejects a bad field with one line naming file and field, exit 2, and writes nothing", async () => {
    const data = sampleReportData();
    data.results!.rows[1].cells.hAcc = { mean: 0.5, lo: 0.6, hi: 0.4, n: 3 };
    const input = join(dir, "bad-field.json");
    const output = join(dir, "bad-field.html");
    await writeFile(input, JSON.stringify(data));
    const r = await runCli(["report", "--input", input, "--output", output]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `rlev: ${input} field "results.rows.1.cells.hAcc.lo": lo (0.6) is above hi (0.4)\n`,
    );
    expect(existsSync(output)).toBe(false);
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("names the line of broken JSON and a missing file", async () => {
    const input = join(dir, "broken.json");
    await writeFile(input, '{\n  "title": "x",\n  oops\n}\n');
    const r = await runCli(["report", "--input", input, "--output", join(dir, "broken.html")]);
    expect(r.code).toBe(2);
    // The bad token sits on line 3.
    expect(r.stderr).toMatch(
      new RegExp(
        `^rlev: ${input.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3: invalid JSON at column 3: unexpected "o"\n$`,
      ),
    );
    const missing = await runCli([
      "report",
      "--input",
      join(dir, "nope.json"),
      "--output",
      join(dir, "x.html"),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`rlev: ${join(dir, "nope.json")}: no such file\n`);
  });
});
