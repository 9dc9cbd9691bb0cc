/**
 * A guard run before hyparquet decodes a column chunk. hyparquet trusts page headers: a header
 * with a missing size makes its read offset NaN and its page loop spin forever, and a corrupt
 * value count makes it fill arrays of billions of entries. This walks the Thrift page headers of
 * a chunk (compact protocol, only what PageHeader needs) and rejects anything that would not
 * decode in bounded time and memory. Files rlev writes are also covered by a per-row-group
 * SHA-256; this guard covers files written by other tools.
 */

const T_STOP = 0;
const T_TRUE = 1;
const T_FALSE = 2;
const T_BYTE = 3;
const T_I16 = 4;
const T_I32 = 5;
const T_I64 = 6;
const T_DOUBLE = 7;
const T_BINARY = 8;
const T_LIST = 9;
const T_SET = 10;
const T_MAP = 11;
const T_STRUCT = 12;
const MAX_DEPTH = 16;

type Field = { type: number; value: number | boolean | ThriftStruct | undefined };
type ThriftStruct = Map<number, Field>;

class CompactReader {
  offset: number;
  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.offset = start;
  }

  byte(): number {
    if (this.offset >= this.end) throw new Error("page header runs past the column chunk");
    return this.bytes[this.offset++];
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if (!(b & 0x80)) return result;
      scale *= 128;
    }
    throw new Error("varint longer than 10 bytes");
  }

  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  skip(n: number): void {
    if (n < 0 || this.offset + n > this.end) throw new Error("page header field runs past the column chunk");
    this.offset += n;
  }

  element(type: number, depth: number): Field["value"] {
    switch (type) {
      case T_TRUE:
        return true;
      case T_FALSE:
        return false;
      case T_BYTE:
        return (this.byte() << 24) >> 24;
      case T_I16:
      case T_I32:
      case T_I64:
        return this.zigzag();
      case T_DOUBLE:
        this.skip(8);
        return undefined;
      case T_BINARY:
        this.skip(this.varint());
        return undefined;
      case T_LIST:
      case T_SET: {
        const head = this.byte();
        let size = head >> 4;
        if (size === 15) size = this.varint();
        const elemType = head & 0x0f;
        // Every element takes at least one byte, so a size beyond the bytes left is corrupt.
        if (size > this.end - this.offset) throw new Error("list longer than the bytes left");
        for (let i = 0; i < size; i++) {
          if (elemType === T_TRUE || elemType === T_FALSE) this.byte();
          else this.element(elemType, depth + 1);
        }
        return undefined;
      }
      case T_MAP: {
        const size = this.varint();
        if (size === 0) return undefined;
        if (size > this.end - this.offset) throw new Error("map longer than the bytes left");
        const kv = this.byte();
        for (let i = 0; i < size; i++) {
          this.element(kv >> 4, depth + 1);
          this.element(kv & 0x0f, depth + 1);
        }
        return undefined;
      }
      case T_STRUCT:
        return this.struct(depth + 1);
      default:
        throw new Error(`unknown Thrift type ${type} in a page header`);
    }
  }

  struct(depth = 0): ThriftStruct {
    if (depth > MAX_DEPTH) throw new Error("page header nested too deeply");
    const fields: ThriftStruct = new Map();
    let id = 0;
    for (;;) {
      const head = this.byte();
      const type = head & 0x0f;
      if (type === T_STOP) return fields;
      const delta = head >> 4;
      id = delta ? id + delta : this.zigzag();
      fields.set(id, { type, value: this.element(type, depth) });
    }
  }
}

const INT_TYPES = new Set([T_BYTE, T_I16, T_I32, T_I64]);

function intField(s: ThriftStruct, id: number, name: string, required: boolean): number | undefined {
  const f = s.get(id);
  if (f === undefined) {
    if (required) throw new Error(`page header lacks ${name}`);
    return undefined;
  }
  if (!INT_TYPES.has(f.type) || typeof f.value !== "number" || !Number.isSafeInteger(f.value) || f.value < 0)
    throw new Error(`page header ${name} is not a non-negative integer`);
  return f.value;
}

function structField(s: ThriftStruct, id: number, name: string): ThriftStruct {
  const f = s.get(id);
  if (!f || f.type !== T_STRUCT || !(f.value instanceof Map)) throw new Error(`page header lacks ${name}`);
  return f.value;
}

/** Generous ceiling on one decompressed page; real pages are about 1 MB. */
const MAX_PAGE_BYTES = 1 << 28;
/** Snappy emits at most 64 bytes per 3-byte copy, so output can't exceed ~22x its input. */
const SNAPPY_MAX_RATIO = 24;

export interface ChunkShape {
  /** Where the chunk's bytes start inside `bytes`, and how many there are. */
  start: number;
  length: number;
  codec: string;
  /** Values the footer says the chunk holds. */
  numValues: number;
  /** Rows in the row group. */
  numRows: number;
  /** True when the column has no repeated level: then every page holds at most one value per row. */
  flat: boolean;
}

/** Throws an Error describing the first page header that hyparquet could not safely decode. */
export function checkColumnChunkPages(bytes: Uint8Array, chunk: ChunkShape): void {
  const end = chunk.start + chunk.length;
  if (chunk.start < 0 || end > bytes.length) throw new Error("column chunk lies outside its row group");
  if (chunk.flat && chunk.numValues !== chunk.numRows)
    throw new Error(`flat column holds ${chunk.numValues} values for ${chunk.numRows} rows`);
  // Nested (list) columns: at most 1024 elements per row in a page, a bound no real data set nears.
  const maxPerPage = chunk.flat ? chunk.numRows : chunk.numRows * 1024;
  const reader = new CompactReader(bytes, chunk.start, end);
  let values = 0;
  while (reader.offset < end && values < chunk.numValues) {
    const header = reader.struct();
    const type = intField(header, 1, "type", true) as number;
    const uncompressed = intField(header, 2, "uncompressed_page_size", true) as number;
    const compressed = intField(header, 3, "compressed_page_size", true) as number;
    if (reader.offset + compressed > end) throw new Error("page data runs past the column chunk");
    if (uncompressed > MAX_PAGE_BYTES) throw new Error(`page claims ${uncompressed} bytes uncompressed`);
    if (chunk.codec === "UNCOMPRESSED" && uncompressed !== compressed && type !== 3)
      throw new Error("uncompressed page with differing sizes");
    if (chunk.codec === "SNAPPY" && uncompressed > SNAPPY_MAX_RATIO * compressed + 64)
      throw new Error(`page claims ${uncompressed} bytes from ${compressed} snappy bytes`);
    let pageValues = 0;
    if (type === 0) {
      pageValues = intField(structField(header, 5, "data_page_header"), 1, "num_values", true) as number;
    } else if (type === 2) {
      const dict = structField(header, 7, "dictionary_page_header");
      const n = intField(dict, 1, "dictionary num_values", true) as number;
      if (n > uncompressed + 1) throw new Error(`dictionary claims ${n} values in ${uncompressed} bytes`);
    } else if (type === 3) {
      const v2 = structField(header, 8, "data_page_header_v2");
      pageValues = intField(v2, 1, "num_values", true) as number;
      intField(v2, 2, "num_nulls", true);
      const rows = intField(v2, 3, "num_rows", true) as number;
      const levels =
        (intField(v2, 5, "definition_levels_byte_length", true) as number) +
        (intField(v2, 6, "repetition_levels_byte_length", true) as number);
      if (levels > compressed || levels > uncompressed) throw new Error("page levels exceed the page");
      if (rows > chunk.numRows) throw new Error(`page claims ${rows} rows of ${chunk.numRows}`);
    } else if (type !== 1) {
      throw new Error(`unknown page type ${type}`);
    }
    if (pageValues > maxPerPage) throw new Error(`page claims ${pageValues} values (at most ${maxPerPage})`);
    values += pageValues;
    reader.skip(compressed);
  }
  if (values !== chunk.numValues)
    throw new Error(`pages hold ${values} values, the footer says ${chunk.numValues}`);
}
