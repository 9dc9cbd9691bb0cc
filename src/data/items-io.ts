import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { InputError, UsageError } from "../util/errors.js";
import type { Item } from "./item.js";
import { readJsonlRaw, writeJsonl } from "./jsonl.js";
import { readParquetRows, writeItemsParquet } from "./parquet.js";
import { ItemChecker, type RecordLocation } from "./validate.js";

export type ItemFileFormat = "jsonl" | "parquet";

/** The file format chosen by extension: .jsonl/.ndjson or .parquet. */
export function itemFormatOf(file: string): ItemFileFormat {
  const ext = extname(file).toLowerCase();
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  if (ext === ".parquet" || ext === ".pq") return "parquet";
  throw new UsageError(`${file}: unknown item file type "${ext || "(none)"}" (use .jsonl or .parquet)`);
}

export function isItemFile(file: string): boolean {
  return [".jsonl", ".ndjson", ".parquet", ".pq"].includes(extname(file).toLowerCase());
}

/** Raw records of an item file with their location, before validation. */
async function* readRecords(file: string): AsyncGenerator<{ where: RecordLocation; value: unknown }> {
  if (itemFormatOf(file) === "jsonl") {
    for await (const { line, value } of readJsonlRaw(file)) yield { where: { file, line }, value };
  } else {
    for await (const { row, value } of readParquetRows(file)) yield { where: { file, row }, value };
  }
}

export interface LocatedItem {
  item: Item;
  where: RecordLocation;
}

/**
 * Streams validated items from a .jsonl or .parquet file with where each came from; the first bad
 * record raises an InputError naming file, line (JSONL) or row (Parquet), and field. A checker
 * shared across calls also rejects ids repeated across files.
 */
export async function* readItemsLocated(
  file: string,
  checker: ItemChecker = new ItemChecker(),
): AsyncGenerator<LocatedItem> {
  for await (const { where, value } of readRecords(file)) yield { item: checker.check(value, where), where };
}

/** Streams validated items from a .jsonl or .parquet file (format by extension). */
export async function* readItems(
  file: string,
  checker: ItemChecker = new ItemChecker(),
): AsyncGenerator<Item> {
  for await (const { item } of readItemsLocated(file, checker)) yield item;
}

export async function readAllItems(file: string): Promise<Item[]> {
  const out: Item[] = [];
  for await (const item of readItems(file)) out.push(item);
  return out;
}

/** The item files (.jsonl, .parquet) directly inside a folder, sorted by name. */
export async function itemFilesIn(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter(isItemFile).sort();
  return names.map((n) => join(dir, n));
}

/**
 * Reads a file, or every item file of a folder, as one validated stream; ids must be unique
 * across all of them.
 */
export async function* readItemsFromPath(path: string): AsyncGenerator<LocatedItem> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new InputError({ file: path }, "file not found");
  }
  const files = isDir ? await itemFilesIn(path) : [path];
  if (isDir && files.length === 0)
    throw new InputError({ file: path }, "folder holds no .jsonl or .parquet files");
  const checker = new ItemChecker();
  for (const file of files) yield* readItemsLocated(file, checker);
}

/**
 * Writes items as JSONL or Parquet (by extension), streaming, atomically: the file appears
 * whole or not at all. Items are written as given (validate them on the way in).
 */
export async function writeItems(
  file: string,
  items: Iterable<Item> | AsyncIterable<Item>,
  options: { rowGroupSize?: number } = {},
): Promise<number> {
  if (itemFormatOf(file) === "parquet") return writeItemsParquet(file, items, options);
  return writeJsonl(file, items);
}
