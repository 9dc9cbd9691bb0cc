import { parquetWriteBuffer } from "hyparquet-writer";
import type { Item } from "../data/item.js";
import { writeJsonl } from "../data/jsonl.js";
import { writeFileAtomic } from "../util/atomic.js";
import { labelString, referenceString } from "./label.js";

/**
 * verl's dataset row (docs/method.md#interop-contracts): a chat prompt, a rule-style reward model with the ground
 * truth, and `extra_info` carrying the value (and the JSON label that examples/verl's
 * `compute_score` forwards to `rlev serve reward`).
 */
export interface VerlRow {
  data_source: string;
  prompt: Array<{ role: string; content: string }>;
  ability: string;
  reward_model: { style: "rule"; ground_truth: string };
  extra_info: {
    split: string;
    index: number;
    id: string;
    answer_type: string;
    exam_id: string;
    points: number;
    exam_total: number;
    value: number;
    difficulty: number | null;
    label: string;
  };
}

export interface VerlExportOptions {
  /** data_source of every row; default: the part of the item id before its first "/" (else "rlev"). */
  dataSource?: string;
  /** verl's `ability` column. Default "math". */
  ability?: string;
  /** Prepended as a system message when given. */
  systemPrompt?: string;
  /** Template of the user message; `{prompt}` is replaced by the item's prompt. */
  promptTemplate?: string;
}

function dataSourceOf(item: Item, opts: VerlExportOptions): string {
  if (opts.dataSource) return opts.dataSource;
  const meta = item.meta.data_source ?? item.meta.dataSource;
  if (typeof meta === "string" && meta !== "") return meta;
  const slash = item.id.indexOf("/");
  return slash > 0 ? item.id.slice(0, slash) : "rlev";
}

export function userContent(item: Item, template: string | undefined): string {
  return template ? template.split("{prompt}").join(item.prompt) : item.prompt;
}

export function toVerlRow(item: Item, index: number, opts: VerlExportOptions = {}): VerlRow {
  const prompt: VerlRow["prompt"] = [];
  if (opts.systemPrompt) prompt.push({ role: "system", content: opts.systemPrompt });
  prompt.push({ role: "user", content: userContent(item, opts.promptTemplate) });
  return {
    data_source: dataSourceOf(item, opts),
    prompt,
    ability: opts.ability ?? "math",
    reward_model: { style: "rule", ground_truth: referenceString(item.reference) },
    extra_info: {
      split: item.split,
      index,
      id: item.id,
      answer_type: item.answerType,
      exam_id: item.examId,
      points: item.points,
      exam_total: item.examTotal,
      value: item.value,
      difficulty: item.difficulty ?? null,
      label: labelString(item),
    },
  };
}

const utf8 = (name: string, repetition: "REQUIRED" | "OPTIONAL" = "REQUIRED") =>
  ({ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: repetition }) as const;
const double = (name: string, repetition: "REQUIRED" | "OPTIONAL" = "REQUIRED") =>
  ({ name, type: "DOUBLE", repetition_type: repetition }) as const;

/**
 * The Parquet schema of verl rows, as pyarrow writes the same data: `prompt` is a standard
 * three-level LIST of struct<role, content>; `reward_model` and `extra_info` are structs.
 */
export const VERL_PARQUET_SCHEMA = [
  { name: "root", num_children: 5 },
  utf8("data_source"),
  { name: "prompt", repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", repetition_type: "REQUIRED", num_children: 2 },
  utf8("role"),
  utf8("content"),
  utf8("ability"),
  { name: "reward_model", repetition_type: "REQUIRED", num_children: 2 },
  utf8("style"),
  utf8("ground_truth"),
  { name: "extra_info", repetition_type: "REQUIRED", num_children: 10 },
  utf8("split"),
  { name: "index", type: "INT64", repetition_type: "REQUIRED" },
  utf8("id"),
  utf8("answer_type"),
  utf8("exam_id"),
  double("points"),
  double("exam_total"),
  double("value"),
  double("difficulty", "OPTIONAL"),
  utf8("label"),
] as const;

/** Encodes verl rows as a Parquet file (bytes). */
export function verlParquetBytes(rows: readonly VerlRow[]): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "data_source", data: rows.map((r) => r.data_source) },
      { name: "prompt", data: rows.map((r) => r.prompt) },
      { name: "ability", data: rows.map((r) => r.ability) },
      { name: "reward_model", data: rows.map((r) => r.reward_model) },
      {
        name: "extra_info",
        data: rows.map((r) => ({ ...r.extra_info, index: BigInt(r.extra_info.index) })),
      },
    ],
    // hyparquet-writer's SchemaElement type is wider than this literal; the shape is checked by tests.
    schema: VERL_PARQUET_SCHEMA as unknown as Parameters<typeof parquetWriteBuffer>[0]["schema"],
    kvMetadata: [{ key: "rlev.format", value: "verl-rows/1" }],
    createdBy: "rlev",
  });
  return new Uint8Array(buffer);
}

export type ExportFormat = "parquet" | "jsonl";

export function formatFromPath(file: string): ExportFormat {
  return /\.jsonl?$/i.test(file) ? "jsonl" : "parquet";
}

/** Writes items as verl rows, Parquet or JSONL by the file's extension, atomically. */
export async function exportVerl(
  items: readonly Item[],
  file: string,
  opts: VerlExportOptions = {},
): Promise<{ rows: number; format: ExportFormat }> {
  const rows = items.map((item, i) => toVerlRow(item, i, opts));
  const format = formatFromPath(file);
  if (format === "jsonl") await writeJsonl(file, rows);
  else await writeFileAtomic(file, verlParquetBytes(rows));
  return { rows: rows.length, format };
}
