import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Item } from "../../src/data/item.js";
import { itemFormatOf, readAllItems, readItemsFromPath, writeItems } from "../../src/data/items-io.js";
import { itemInconsistency } from "../../src/data/validate.js";
import { InputError } from "../../src/util/errors.js";
import { manyItems, sampleItems, tempDir } from "./fixtures.js";

async function errorOf(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error("expected an InputError");
}

const jsonl = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;

describe("item files: round trips", () => {
  it.each(["jsonl", "parquet"])("writes and reads back the same items (%s)", async (ext) => {
    const file = join(tempDir(), `items.${ext}`);
    const items = sampleItems();
    expect(await writeItems(file, items)).toBe(3);
    expect(await readAllItems(file)).toEqual(items);
  });

  it("streams Parquet in row groups: 2,500 items in groups of 1,000 come back in order", async () => {
    const file = join(tempDir(), "many.parquet");
    const items = manyItems(2500);
    await writeItems(file, items, { rowGroupSize: 1000 });
    const back = await readAllItems(file);
    expect(back).toEqual(items);
  });

  it("writes an async stream (generator) and leaves no temporary files", async () => {
    const dir = tempDir();
    async function* gen() {
      for (const it of manyItems(30)) yield it;
    }
    await writeItems(join(dir, "a.parquet"), gen(), { rowGroupSize: 7 });
    expect(readdirSync(dir)).toEqual(["a.parquet"]);
    expect((await readAllItems(join(dir, "a.parquet"))).length).toBe(30);
  });

  it("writes an empty item set as a readable file", async () => {
    const dir = tempDir();
    for (const ext of ["jsonl", "parquet"]) {
      await writeItems(join(dir, `e.${ext}`), []);
      expect(await readAllItems(join(dir, `e.${ext}`))).toEqual([]);
    }
  });

  it("reads JSONL with a byte-order mark and CRLF line ends", async () => {
    const file = join(tempDir(), "bom.jsonl");
    writeFileSync(
      file,
      `\ufeff${sampleItems()
        .map((it) => JSON.stringify(it))
        .join("\r\n")}\r\n`,
    );
    expect(await readAllItems(file)).toEqual(sampleItems());
  });

  it("chooses the format by extension", () => {
    expect(itemFormatOf("a/b.JSONL")).toBe("jsonl");
    expect(itemFormatOf("x.ndjson")).toBe("jsonl");
    expect(itemFormatOf("x.parquet")).toBe("parquet");
    expect(() => itemFormatOf("x.csv")).toThrow(/unknown item file type ".csv"/);
  });

  it("never leaves a half-written file when the item stream fails midway", async () => {
    const dir = tempDir();
    async function* failing(): AsyncGenerator<Item> {
      yield* manyItems(1500);
      throw new InputError({ file: "src.jsonl", line: 1501 }, "boom");
    }
    for (const ext of ["jsonl", "parquet"]) {
      await expect(writeItems(join(dir, `out.${ext}`), failing(), { rowGroupSize: 500 })).rejects.toThrow(
        /boom/,
      );
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("item files: validation errors name file, line or row, and field", () => {
  it("a line that is not JSON", async () => {
    const file = join(tempDir(), "bad.jsonl");
    writeFileSync(file, `${JSON.stringify(sampleItems()[0])}\n{"id": "x",\n`);
    const err = await errorOf(readAllItems(file));
    expect(err.message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2: invalid JSON`),
    );
    expect(err.location).toMatchObject({ file, line: 2 });
  });

  it("a missing field", async () => {
    const file = join(tempDir(), "missing.jsonl");
    const { examId: _drop, ...noExam } = sampleItems()[0];
    writeFileSync(file, jsonl([sampleItems()[1], noExam]));
    const err = await errorOf(readAllItems(file));
    expect(err.location).toEqual({ file, line: 2, field: "examId" });
    expect(err.message.split("\n")).toHaveLength(1);
  });

  it("an unknown answer type, naming the field", async () => {
    const file = join(tempDir(), "type.jsonl");
    writeFileSync(file, jsonl([{ ...sampleItems()[0], answerType: "essay" }]));
    expect((await errorOf(readAllItems(file))).location).toEqual({ file, line: 1, field: "answerType" });
  });

  it("blank lines are skipped but still counted", async () => {
    const file = join(tempDir(), "blank.jsonl");
    const [a] = sampleItems();
    writeFileSync(file, `\n${JSON.stringify(a)}\n\n${JSON.stringify({ ...a, id: "z", points: -1 })}\n`);
    expect((await errorOf(readAllItems(file))).location).toEqual({ file, line: 4, field: "points" });
  });

  it("value must equal points / examTotal within 1e-9", async () => {
    const file = join(tempDir(), "value.jsonl");
    // 5/150 = 0.0333…; 0.0334 is off by 6.7e-5.
    writeFileSync(file, jsonl([{ ...sampleItems()[0], value: 0.0334 }]));
    const err = await errorOf(readAllItems(file));
    expect(err.location).toEqual({ file, line: 1, field: "value" });
    expect(err.message).toMatch(/points\/examTotal = 5\/150/);
  });

  it("a value off by less than 1e-9 passes", () => {
    const it0 = sampleItems()[0];
    expect(itemInconsistency({ ...it0, value: 5 / 150 + 5e-10 })).toBeUndefined();
    expect(itemInconsistency({ ...it0, value: 5 / 150 + 2e-9 })?.field).toBe("value");
  });

  it.each(["weak", "predicted", "shuffled"])("a %s value need not equal points / examTotal", (source) => {
    const it0 = sampleItems()[0];
    expect(itemInconsistency({ ...it0, value: 0.08, meta: { valueSource: source } })).toBeUndefined();
  });

  it("an unknown value source is rejected", () => {
    expect(itemInconsistency({ ...sampleItems()[0], meta: { valueSource: "guess" } })?.field).toBe(
      "meta.valueSource",
    );
  });

  it("points above the exam total are rejected", () => {
    expect(
      itemInconsistency({ ...sampleItems()[0], points: 200, value: 1, meta: { valueSource: "weak" } })?.field,
    ).toBe("points");
  });

  it("a list reference needs answerType choice_list, and choice_list needs a list", () => {
    const [a, b] = sampleItems();
    expect(itemInconsistency({ ...a, reference: ["2"] })?.field).toBe("reference");
    expect(itemInconsistency({ ...b, reference: "BC" })?.field).toBe("reference");
  });

  it("a duplicate id names both line numbers", async () => {
    const file = join(tempDir(), "dup.jsonl");
    const [a, b, c] = sampleItems();
    writeFileSync(file, jsonl([a, b, c, { ...b }]));
    const err = await errorOf(readAllItems(file));
    expect(err.location).toEqual({ file, line: 4, field: "id" });
    expect(err.message).toMatch(/duplicate id "ex\/2" \(first seen at line 2\)/);
  });

  it("a duplicate id across the files of a folder names the other file", async () => {
    const dir = tempDir();
    const [a, b] = sampleItems();
    writeFileSync(join(dir, "1.jsonl"), jsonl([a, b]));
    await writeItems(join(dir, "2.parquet"), [{ ...sampleItems()[2] }, { ...a }]);
    const err = await errorOf(
      (async () => {
        for await (const _ of readItemsFromPath(dir)) {
        }
      })(),
    );
    expect(err.location).toEqual({ file: join(dir, "2.parquet"), row: 1, field: "id" });
    expect(err.message).toContain(`first seen at ${join(dir, "1.jsonl")} line 1`);
  });

  it("a bad Parquet row names its 0-based row and the field", async () => {
    const file = join(tempDir(), "bad.parquet");
    const items = manyItems(12);
    // Written through the raw writer path: a wrong value slips past the writer (it does not validate).
    items[9] = { ...items[9], value: 0.5 };
    await writeItems(file, items, { rowGroupSize: 4 });
    const err = await errorOf(readAllItems(file));
    expect(err.location).toEqual({ file, row: 9, field: "value" });
  });

  it("a missing file is an InputError", async () => {
    for (const ext of ["jsonl", "parquet"]) {
      const file = join(tempDir(), `none.${ext}`);
      expect((await errorOf(readAllItems(file))).message).toBe(`${file}: file not found`);
    }
  });

  it("a damaged Parquet row group fails its checksum", async () => {
    const file = join(tempDir(), "dmg.parquet");
    await writeItems(file, manyItems(50), { rowGroupSize: 20 });
    const bytes = readFileSync(file);
    bytes[30] ^= 0xff; // inside row group 0 (data starts after the 4-byte magic)
    writeFileSync(file, bytes);
    const err = await errorOf(readAllItems(file));
    expect(err.location).toEqual({ file, row: 0 });
    expect(err.message).toMatch(/corrupt Parquet row group 0 \(checksum mismatch/);
    expect(existsSync(file)).toBe(true);
  });
});
