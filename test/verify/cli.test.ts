import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "rlev-verify-"));
}

describe("rlev verify", () => {
  it("writes one verdict per line and a summary on stderr", async () => {
    const dir = tmp();
    const input = join(dir, "cases.jsonl");
    const output = join(dir, "out.jsonl");
    const lines = [
      { id: "a", reference: "\\frac{14}{3}", response: "Thus $\\boxed{\\frac{28}{6}}$." },
      { reference: "BC", response: "故选CB", type: "choice" },
      { id: 7, reference: "5", response: "x = 6", mode: "answer" },
      { reference: "12", response: "no idea", type: "number" },
    ];
    writeFileSync(input, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
    const r = await runCli(["verify", "--input", input, "--output", output, "--threads", "1"]);
    expect(r.code).toBe(0);
    const out = readFileSync(output, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(out.map((o) => [o.id, o.correct, o.pred, o.reason])).toEqual([
      ["a", true, "\\frac{28}{6}", "equal"],
      [2, true, "BC", "equal"],
      [7, false, "x = 6", "not_equal"],
      [4, false, null, "no_answer"],
    ]);
    expect(r.stderr).toMatch(/verify: 4 items, 2 correct \(50\.0%\), 0 timeout, 0 unparseable, 0 crashed/);
  });

  it("rejects a malformed line with file, line and field, exit 2, and no output file", async () => {
    const dir = tmp();
    const input = join(dir, "cases.jsonl");
    const output = join(dir, "out.jsonl");
    writeFileSync(
      input,
      `${JSON.stringify({ reference: "1", response: "1" })}\n${JSON.stringify({ reference: 3, response: "1" })}\n`,
    );
    const r = await runCli(["verify", "--input", input, "--output", output]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`${input}:2 field "reference"`);
    expect(existsSync(output)).toBe(false);
  });

  it("rejects invalid JSON and a bad mode the same way", async () => {
    const dir = tmp();
    const input = join(dir, "cases.jsonl");
    const output = join(dir, "out.jsonl");
    writeFileSync(input, `${JSON.stringify({ reference: "1", response: "1", mode: "fast" })}\n`);
    const r = await runCli(["verify", "--input", input, "--output", output]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${input}:1 field "mode"`);
    writeFileSync(input, "{not json\n");
    const r2 = await runCli(["verify", "--input", input, "--output", output]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`${input}:1`);
    expect(existsSync(output)).toBe(false);
  });
});
