import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { readParquet } from "parquet-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Item, ItemSchema } from "../../src/data/item.js";
import { toOpenRlhfRow } from "../../src/export/openrlhf.js";
import { toVerlRow, verlParquetBytes } from "../../src/export/verl.js";
import { runCli } from "../helpers/cli.js";

const item: Item = ItemSchema.parse({
  id: "gsm8k/test/7",
  prompt: "What is 3+4?",
  reference: "7",
  answerType: "number",
  examId: "exam-1",
  points: 5,
  examTotal: 150,
  value: 5 / 150,
  split: "test",
});
const listItem: Item = ItemSchema.parse({
  ...item,
  id: "gaokao/x/3",
  reference: ["B", "C", "A"],
  answerType: "choice_list",
  difficulty: 4,
  split: "train",
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlev-export-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("verl rows", () => {
  it("follow docs/method.md#interop-contracts field by field", () => {
    expect(toVerlRow(item, 0, { systemPrompt: "Think step by step." })).toEqual({
      data_source: "gsm8k",
      prompt: [
        { role: "system", content: "Think step by step." },
        { role: "user", content: "What is 3+4?" },
      ],
      ability: "math",
      reward_model: { style: "rule", ground_truth: "7" },
      extra_info: {
        split: "test",
        index: 0,
        id: "gsm8k/test/7",
        answer_type: "number",
        exam_id: "exam-1",
        points: 5,
        exam_total: 150,
        value: 5 / 150,
        difficulty: null,
        label: `{"id":"gsm8k/test/7","reference":"7","answerType":"number","value":${5 / 150}}`,
      },
    });
  });

  it("joins choice-list references as a JSON array and applies the prompt template", () => {
    const row = toVerlRow(listItem, 3, { promptTemplate: "Q: {prompt}\nA:", dataSource: "gaokao" });
    expect(row.reward_model.ground_truth).toBe('["B","C","A"]');
    expect(row.prompt).toEqual([{ role: "user", content: "Q: What is 3+4?\nA:" }]);
    expect(row.data_source).toBe("gaokao");
    expect(row.extra_info.difficulty).toBe(4);
    expect(JSON.parse(row.extra_info.label)).toEqual({
      id: "gaokao/x/3",
      reference: ["B", "C", "A"],
      answerType: "choice_list",
      value: 5 / 150,
    });
  });

  it("Parquet is read back by arrow-rs (parquet-wasm), an independent reader, with verl's schema", () => {
    const bytes = verlParquetBytes([toVerlRow(item, 0), toVerlRow(listItem, 1, { systemPrompt: "S" })]);
    // Raw bytes: the Parquet magic opens and closes the file.
    expect(Buffer.from(bytes.subarray(0, 4)).toString("latin1")).toBe("PAR1");
    expect(Buffer.from(bytes.subarray(bytes.length - 4)).toString("latin1")).toBe("PAR1");
    const table = tableFromIPC(readParquet(bytes).intoIPCStream());
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toEqual({
      data_source: "Utf8",
      prompt: "List<Struct<{role:Utf8, content:Utf8}>>",
      ability: "Utf8",
      reward_model: "Struct<{style:Utf8, ground_truth:Utf8}>",
      extra_info:
        "Struct<{split:Utf8, index:Int64, id:Utf8, answer_type:Utf8, exam_id:Utf8, points:Float64, exam_total:Float64, value:Float64, difficulty:Float64, label:Utf8}>",
    });
    const rows = table.toArray().map((r) => r.toJSON());
    expect(rows).toHaveLength(2);
    expect(rows[0].data_source).toBe("gsm8k");
    expect(rows[1].prompt.toJSON().map((m: { toJSON(): unknown }) => m.toJSON())).toEqual([
      { role: "system", content: "S" },
      { role: "user", content: "What is 3+4?" },
    ]);
    const rm0 = rows[0].reward_model.toJSON();
    expect(rm0).toEqual({ style: "rule", ground_truth: "7" });
    const ei1 = rows[1].extra_info.toJSON();
    expect(ei1.value).toBeCloseTo(5 / 150, 15);
    expect(Number(ei1.index)).toBe(1);
    expect(ei1.difficulty).toBe(4);
    expect(rows[0].extra_info.toJSON().difficulty).toBeNull();
  });

  it("Parquet footer carries the schema and key-value metadata (hyparquet)", async () => {
    const bytes = verlParquetBytes([toVerlRow(item, 0)]);
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const meta = parquetMetadata(ab);
    expect(Number(meta.num_rows)).toBe(1);
    expect(meta.key_value_metadata).toContainEqual({ key: "rlev.format", value: "verl-rows/1" });
    const objs = await parquetReadObjects({ file: ab });
    expect(objs[0].reward_model).toEqual({ style: "rule", ground_truth: "7" });
  });
});

describe("OpenRLHF rows", () => {
  it("carry input and a JSON label with reference, value, answer type and id", () => {
    const row = toOpenRlhfRow(listItem);
    expect(row.input).toBe("What is 3+4?");
    expect(JSON.parse(row.label)).toEqual({
      id: "gaokao/x/3",
      reference: ["B", "C", "A"],
      answerType: "choice_list",
      value: 5 / 150,
    });
    expect(toOpenRlhfRow(item, { chat: true, systemPrompt: "S" }).input).toEqual([
      { role: "system", content: "S" },
      { role: "user", content: "What is 3+4?" },
    ]);
  });
});

describe("rlev export (CLI)", () => {
  it("writes verl Parquet and OpenRLHF JSONL from items, filtered by split", async () => {
    const input = join(dir, "items.jsonl");
    await writeFile(input, `${JSON.stringify(item)}\n${JSON.stringify(listItem)}\n`);
    const out = join(dir, "train.parquet");
    const r1 = await runCli(["export", "verl", "--input", input, "--output", out, "--split", "train"]);
    expect(r1.stderr).toBe("");
    expect(r1.code).toBe(0);
    const table = tableFromIPC(readParquet(new Uint8Array(await readFile(out))).intoIPCStream());
    expect(table.numRows).toBe(1);
    const jsonl = join(dir, "rlhf.jsonl");
    const r2 = await runCli(["export", "openrlhf", "--input", input, "--output", jsonl]);
    expect(r2.code).toBe(0);
    const lines = (await readFile(jsonl, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => JSON.parse(l.label).id)).toEqual(["gsm8k/test/7", "gaokao/x/3"]);
  });

  it("rejects a bad item with file, line and field, exit 2, and writes nothing", async () => {
    const input = join(dir, "bad.jsonl");
    await writeFile(input, `${JSON.stringify(item)}\n${JSON.stringify({ ...item, value: 2 })}\n`);
    const out = join(dir, "bad.parquet");
    const r = await runCli(["export", "verl", "--input", input, "--output", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.jsonl:2 field "value"/);
    await expect(readFile(out)).rejects.toThrow();
  });
});
