import { createHash } from "node:crypto";
import { open, stat } from "node:fs/promises";
import { type AsyncBuffer, type FileMetaData, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { type AtomicFileWriter, withAtomicFile } from "../util/atomic.js";
import { errorMessage, InputError } from "../util/errors.js";
import type { Item } from "./item.js";
import { checkColumnChunkPages } from "./parquet-pages.js";

/**
 * Item records as Parquet: one flat column per Item field. `reference` (a string or a list) and
 * `meta` (an object) are JSON columns, so pandas/pyarrow/DuckDB read the file without a custom
 * schema and our reader gets the same JSON values back.
 */
const ITEM_SCHEMA = [
  { name: "root", num_children: 11 },
  { name: "id", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
  { name: "prompt", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
  { name: "reference", type: "BYTE_ARRAY", converted_type: "JSON", repetition_type: "REQUIRED" },
  { name: "answerType", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
  { name: "examId", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
  { name: "points", type: "DOUBLE", repetition_type: "REQUIRED" },
  { name: "examTotal", type: "DOUBLE", repetition_type: "REQUIRED" },
  { name: "value", type: "DOUBLE", repetition_type: "REQUIRED" },
  { name: "difficulty", type: "DOUBLE", repetition_type: "OPTIONAL" },
  { name: "split", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
  { name: "meta", type: "BYTE_ARRAY", converted_type: "JSON", repetition_type: "REQUIRED" },
] as const;

/** Key of the footer entry holding one SHA-256 per row group (hex), written by `writeItemsParquet`. */
export const ROW_GROUP_DIGESTS_KEY = "rlev.row_group_sha256";
export const DEFAULT_ROW_GROUP_SIZE = 1000;

type ColumnChunkMeta = NonNullable<FileMetaData["row_groups"][number]["columns"][number]["meta_data"]>;

function chunkStart(meta: ColumnChunkMeta): number {
  // The same rule hyparquet uses to locate a chunk, so the bytes checked are the bytes it decodes.
  return Number(meta.dictionary_page_offset || meta.data_page_offset);
}

/** The byte range [start, end) that holds a row group's column chunks. */
function rowGroupRange(group: FileMetaData["row_groups"][number]): { start: number; end: number } {
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const col of group.columns) {
    if (!col.meta_data) throw new Error("column chunk without metadata");
    const s = chunkStart(col.meta_data);
    start = Math.min(start, s);
    end = Math.max(end, s + Number(col.meta_data.total_compressed_size));
  }
  if (!Number.isFinite(start)) throw new Error("row group without columns");
  return { start, end };
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * A hyparquet-writer Writer that hands each finished row group to the atomic output file, so only
 * one row group is held in memory. Records a digest of every row group for the reader to verify.
 */
class StreamingByteWriter extends ByteWriter {
  readonly digests: string[] = [];
  groups: () => FileMetaData["row_groups"] = () => [];
  constructor(private readonly out: AtomicFileWriter) {
    super(1 << 16);
  }

  private drain(): Promise<void> {
    const base = this.offset - this.index;
    const bytes = new Uint8Array(this.buffer.slice(0, this.index));
    const groups = this.groups();
    for (let g = this.digests.length; g < groups.length; g++) {
      const { start, end } = rowGroupRange(groups[g]);
      this.digests.push(sha256(bytes.subarray(start - base, end - base)));
    }
    this.index = 0;
    return this.out.write(bytes);
  }

  flush(): Promise<void> {
    return this.drain();
  }

  override finish(): Promise<void> {
    return this.drain();
  }
}

function columnsOf(rows: Item[]) {
  return [
    { name: "id", data: rows.map((r) => r.id) },
    { name: "prompt", data: rows.map((r) => r.prompt) },
    { name: "reference", data: rows.map((r) => r.reference) },
    { name: "answerType", data: rows.map((r) => r.answerType) },
    { name: "examId", data: rows.map((r) => r.examId) },
    { name: "points", data: rows.map((r) => r.points) },
    { name: "examTotal", data: rows.map((r) => r.examTotal) },
    { name: "value", data: rows.map((r) => r.value) },
    { name: "difficulty", data: rows.map((r) => r.difficulty ?? null) },
    { name: "split", data: rows.map((r) => r.split) },
    { name: "meta", data: rows.map((r) => r.meta) },
  ];
}

/**
 * Writes items as Parquet, one row group per `rowGroupSize` items as they arrive (streaming), to a
 * temporary file renamed into place only when complete.
 */
export async function writeItemsParquet(
  file: string,
  items: Iterable<Item> | AsyncIterable<Item>,
  options: { rowGroupSize?: number } = {},
): Promise<number> {
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  return withAtomicFile(file, async (out) => {
    const writer = new StreamingByteWriter(out);
    const pq = new ParquetWriter({
      writer,
      // The schema literal is exact; hyparquet's types want mutable SchemaElement objects.
      schema: ITEM_SCHEMA.map((e) => ({ ...e })) as never,
      createdBy: "rlev",
    });
    writer.groups = () => pq.row_groups;
    let pending: Item[] = [];
    let n = 0;
    const writeGroup = async () => {
      if (pending.length === 0) return;
      await pq.write({ columnData: columnsOf(pending), rowGroupSize: pending.length });
      pending = [];
    };
    for await (const item of items as AsyncIterable<Item>) {
      pending.push(item);
      n++;
      if (pending.length >= rowGroupSize) await writeGroup();
    }
    await writeGroup();
    pq.kvMetadata = [
      { key: "rlev.format", value: "items/1" },
      { key: ROW_GROUP_DIGESTS_KEY, value: JSON.stringify(writer.digests) },
    ];
    await pq.finish();
    return n;
  });
}

/** An AsyncBuffer over a file that serves one preloaded byte range from memory. */
class FileBuffer implements AsyncBuffer {
  private window: { start: number; bytes: Uint8Array } | undefined;
  constructor(
    private readonly fh: import("node:fs/promises").FileHandle,
    readonly byteLength: number,
  ) {}

  async read(start: number, end: number): Promise<Uint8Array> {
    const out = new Uint8Array(end - start);
    let done = 0;
    while (done < out.length) {
      const { bytesRead } = await this.fh.read(out, done, out.length - done, start + done);
      if (bytesRead === 0) throw new Error(`file ended at byte ${start + done} (expected ${end})`);
      done += bytesRead;
    }
    return out;
  }

  preload(start: number, bytes: Uint8Array): void {
    this.window = { start, bytes };
  }

  async slice(start: number, end?: number): Promise<ArrayBuffer> {
    const stop = end ?? this.byteLength;
    if (start < 0 || stop > this.byteLength || stop < start)
      throw new Error(`read of bytes ${start}..${stop} is outside the file (${this.byteLength} bytes)`);
    const w = this.window;
    if (w && start >= w.start && stop <= w.start + w.bytes.length) {
      const view = w.bytes.subarray(start - w.start, stop - w.start);
      return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer;
    }
    const bytes = await this.read(start, stop);
    return bytes.buffer as ArrayBuffer;
  }
}

/** Structural checks on the footer before any row group is decoded, so corrupt sizes fail fast. */
function checkMetadata(meta: FileMetaData, fileSize: number): Map<string, { repeated: boolean }> {
  const leaves = schemaLeaves(meta);
  const dataEnd = fileSize - 8 - meta.metadata_length;
  let rows = 0;
  for (const [g, group] of meta.row_groups.entries()) {
    const n = Number(group.num_rows);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`row group ${g} has an invalid row count ${n}`);
    const { start, end } = rowGroupRange(group);
    if (!(start >= 4 && end <= dataEnd && start <= end))
      throw new Error(`row group ${g} spans bytes ${start}..${end}, outside the data area 4..${dataEnd}`);
    // A row takes at least a few bits in its id column; far more rows than bytes means a corrupt count.
    if (n > 64 * (end - start) + 1024)
      throw new Error(`row group ${g} claims ${n} rows in ${end - start} bytes`);
    const paths = new Set<string>();
    for (const col of group.columns) {
      // hyparquet throws mid-setup on an unknown path and leaves its other column reads unobserved
      // (unhandled rejections), so every path must be known before any decoding starts.
      const path = col.meta_data?.path_in_schema.join(".") ?? "";
      if (!leaves.has(path) || paths.has(path))
        throw new Error(`row group ${g} has a column chunk for an unknown or duplicated path "${path}"`);
      paths.add(path);
      const values = Number(col.meta_data?.num_values);
      if (!Number.isSafeInteger(values) || values < 0)
        throw new Error(
          `row group ${g} column ${col.meta_data?.path_in_schema.join(".")} has ${values} values`,
        );
    }
    rows += n;
  }
  if (rows !== Number(meta.num_rows))
    throw new Error(`the row groups hold ${rows} rows but the footer says ${meta.num_rows}`);
  return leaves;
}

/**
 * Leaf column paths (joined by ".") of the schema tree, each with whether it sits under a
 * REPEATED field (then its pages may hold more values than rows).
 */
function schemaLeaves(meta: FileMetaData): Map<string, { repeated: boolean }> {
  const out = new Map<string, { repeated: boolean }>();
  let i = 1; // element 0 is the root
  const walk = (prefix: string[], repeated: boolean, depth: number): void => {
    const el = meta.schema[i++];
    if (!el || depth > 64) throw new Error("schema tree is malformed");
    const path = [...prefix, el.name];
    const rep = repeated || el.repetition_type === "REPEATED";
    const kids = el.num_children ?? 0;
    if (kids === 0) out.set(path.join("."), { repeated: rep });
    for (let k = 0; k < kids; k++) walk(path, rep, depth + 1);
  };
  const rootKids = meta.schema[0]?.num_children ?? 0;
  for (let k = 0; k < rootKids; k++) walk([], false, 0);
  if (i !== meta.schema.length) throw new Error("schema tree is malformed");
  return out;
}

/** Checks every column chunk's page headers inside a loaded row group (see parquet-pages.ts). */
function checkRowGroupPages(
  group: FileMetaData["row_groups"][number],
  groupStart: number,
  bytes: Uint8Array,
  leaves: Map<string, { repeated: boolean }>,
): void {
  for (const col of group.columns) {
    const m = col.meta_data as ColumnChunkMeta;
    const path = m.path_in_schema.join(".");
    try {
      checkColumnChunkPages(bytes, {
        start: chunkStart(m) - groupStart,
        length: Number(m.total_compressed_size),
        codec: m.codec,
        numValues: Number(m.num_values),
        numRows: Number(group.num_rows),
        flat: !leaves.get(path)?.repeated,
      });
    } catch (err) {
      throw new Error(`column ${path}: ${errorMessage(err)}`);
    }
  }
}

function digestsOf(meta: FileMetaData): string[] | undefined {
  const entry = meta.key_value_metadata?.find((kv) => kv.key === ROW_GROUP_DIGESTS_KEY);
  if (!entry) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(entry.value ?? "");
  } catch {
    throw new Error(`footer entry ${ROW_GROUP_DIGESTS_KEY} is not JSON`);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== meta.row_groups.length ||
    parsed.some((d) => typeof d !== "string")
  )
    throw new Error(`footer entry ${ROW_GROUP_DIGESTS_KEY} does not list one digest per row group`);
  return parsed as string[];
}

/** Turns decoded Parquet cells into plain JSON-like values (nulls dropped, safe bigints as numbers). */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === "bigint" && Number.isSafeInteger(Number(v)) ? Number(v) : v;
  }
  return out;
}

/**
 * Streams the rows of a Parquet file one row group at a time, with their 0-based row numbers.
 * Row groups written by rlev carry a SHA-256 that is checked before decoding, so a damaged file is
 * reported as such instead of being decoded into garbage. Any failure is an InputError.
 */
export async function* readParquetRows(
  file: string,
  options: { verifyDigests?: boolean } = {},
): AsyncGenerator<{ row: number; value: Record<string, unknown> }> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new InputError({ file }, "file not found");
    throw new InputError({ file }, `cannot read file (${errorMessage(err)})`);
  }
  const fh = await open(file, "r");
  try {
    const buffer = new FileBuffer(fh, size);
    let meta: FileMetaData;
    let digests: string[] | undefined;
    let leaves: Map<string, { repeated: boolean }>;
    try {
      meta = await parquetMetadataAsync(buffer);
      leaves = checkMetadata(meta, size);
      digests = options.verifyDigests === false ? undefined : digestsOf(meta);
    } catch (err) {
      throw new InputError({ file }, `not a readable Parquet file (${errorMessage(err)})`);
    }
    let rowStart = 0;
    for (const [g, group] of meta.row_groups.entries()) {
      const n = Number(group.num_rows);
      let rows: Record<string, unknown>[];
      try {
        const { start, end } = rowGroupRange(group);
        const bytes = await buffer.read(start, end);
        if (digests && sha256(bytes) !== digests[g])
          throw new Error("checksum mismatch (the file is damaged)");
        checkRowGroupPages(group, start, bytes, leaves);
        buffer.preload(start, bytes);
        rows = await parquetReadObjects({ file: buffer, metadata: meta, rowStart, rowEnd: rowStart + n });
        if (rows.length !== n) throw new Error(`decoded ${rows.length} rows, expected ${n}`);
      } catch (err) {
        throw new InputError(
          { file, row: rowStart },
          `corrupt Parquet row group ${g} (${errorMessage(err)})`,
        );
      }
      for (let i = 0; i < rows.length; i++) yield { row: rowStart + i, value: plainRow(rows[i]) };
      rowStart += n;
    }
  } finally {
    await fh.close();
  }
}
