import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAllItems, writeItems } from "../../src/data/items-io.js";
import { readParquetRows } from "../../src/data/parquet.js";
import { ItemChecker } from "../../src/data/validate.js";
import { InputError } from "../../src/util/errors.js";
import { manyItems, tempDir } from "./fixtures.js";

/**
 * Reliability of the readers (issue 8): whatever the damage to a file — corrupt lines, flipped
 * bytes, truncation — reading either succeeds with valid items or fails with an InputError. Any
 * other exception, an unhandled rejection, or a hang (caught by the test timeout) fails the test.
 */

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on("unhandledRejection", onUnhandled));
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
});

async function outcome(read: () => Promise<unknown>): Promise<"ok" | "input-error"> {
  try {
    await read();
    return "ok";
  } catch (err) {
    if (err instanceof InputError) {
      expect(err.message).not.toContain("\n");
      return "input-error";
    }
    throw err;
  }
}

const dir = tempDir("rlev-fuzz-");
const items = manyItems(60);

describe("JSONL reader under corruption", () => {
  const lines = items.map((it) => JSON.stringify(it));

  const lineEdit = fc.oneof(
    fc.record({
      kind: fc.constant("replace" as const),
      at: fc.nat(),
      text: fc.string({ unit: "binary", maxLength: 80 }),
    }),
    fc.record({ kind: fc.constant("cut" as const), at: fc.nat(), keep: fc.nat() }),
    fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant("field" as const),
      at: fc.nat(),
      field: fc.constantFrom(
        "id",
        "points",
        "examTotal",
        "value",
        "reference",
        "answerType",
        "meta",
        "split",
      ),
      value: fc.oneof(fc.jsonValue(), fc.constant(undefined)),
    }),
  );

  it("returns valid items or raises an InputError", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lineEdit, { minLength: 1, maxLength: 4 }), async (edits) => {
        const out = lines.slice();
        for (const e of edits) {
          const i = e.at % out.length;
          if (e.kind === "replace") out[i] = e.text;
          else if (e.kind === "cut") out[i] = out[i].slice(0, e.keep % (out[i].length + 1));
          else if (e.kind === "duplicate") out.push(out[i]);
          else {
            let row: Record<string, unknown>;
            try {
              row = JSON.parse(out[i]);
            } catch {
              continue;
            }
            if (e.value === undefined) delete row[e.field];
            else row[e.field] = e.value;
            out[i] = JSON.stringify(row);
          }
        }
        const file = join(dir, "fuzz.jsonl");
        writeFileSync(file, `${out.join("\n")}\n`);
        await outcome(() => readAllItems(file));
      }),
      { numRuns: 250, seed: 20251027 },
    );
  });

  it("random bytes and truncation of the file", async () => {
    const base = Buffer.from(`${lines.join("\n")}\n`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.option(fc.nat()),
        async (sets, cut) => {
          const b = Buffer.from(base);
          for (const [at, byte] of sets) b[at % b.length] = byte;
          const file = join(dir, "bytes.jsonl");
          writeFileSync(file, cut === null ? b : b.subarray(0, cut % b.length));
          await outcome(() => readAllItems(file));
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe("Parquet reader under corruption", () => {
  let base: Buffer;
  beforeAll(async () => {
    const file = join(dir, "base.parquet");
    await writeItems(file, items, { rowGroupSize: 20 });
    base = readFileSync(file);
  });

  const damage: fc.Arbitrary<Damage> = fc.oneof(
    fc.record({
      kind: fc.constant("flip" as const),
      at: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      bit: fc.nat(7),
    }),
    fc.record({
      kind: fc.constant("set" as const),
      at: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
    }),
    fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant("splice" as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
    fc.record({ kind: fc.constant("zero" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
  );

  const apply = (d: Damage): Buffer => applyDamage(base, d);

  async function readWithoutDigests(file: string): Promise<void> {
    const checker = new ItemChecker();
    for await (const { row, value } of readParquetRows(file, { verifyDigests: false }))
      checker.check(value, { file, row });
  }

  it("with row-group checksums (files rlev writes): valid items or an InputError", async () => {
    await fc.assert(
      fc.asyncProperty(damage, async (d) => {
        const file = join(dir, "fuzz-a.parquet");
        writeFileSync(file, apply(d));
        await outcome(() => readAllItems(file));
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it("without checksums (files from other writers): the page guard and decoder still end in an InputError", async () => {
    await fc.assert(
      fc.asyncProperty(damage, async (d) => {
        const file = join(dir, "fuzz-b.parquet");
        writeFileSync(file, apply(d));
        await outcome(() => readWithoutDigests(file));
      }),
      { numRuns: 300, seed: 12 },
    );
  });

  it("a page header without sizes (which sends the decoder into an endless loop) is rejected", async () => {
    // Found by this fuzzer: the byte after the data page header's type field is its
    // uncompressed_page_size field header; turning it into a boolean field leaves hyparquet's
    // page offset NaN, and its page loop never ends. The guard refuses the header instead.
    const file = join(dir, "nan.parquet");
    await writeItems(file, items.slice(0, 5), { rowGroupSize: 5 });
    const b = readFileSync(file);
    // The first page starts at byte 4: 0x15 (field 1, i32) type, then 0x15 (field 2, i32) size.
    expect([b[4], b[6]]).toEqual([0x15, 0x15]);
    b[6] = 0x71; // field 1 + 7 = 8 as boolean true
    writeFileSync(file, b);
    const err = await (async () => {
      try {
        await readWithoutDigests(file);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err?.message).toMatch(/column id: page header/);
  });

  it("a footer naming a column the schema lacks is rejected before decoding starts", async () => {
    // hyparquet throws on such a path halfway through starting its column reads, and the reads
    // already started reject later with nobody listening (unhandled rejections crash Node).
    const file = join(dir, "badpath.parquet");
    await writeItems(file, items.slice(0, 3));
    const b = readFileSync(file);
    // The footer lists the schema (field 2) before the row groups (field 4): the first "split"
    // in the footer is the schema element's name. Renaming it (same length) keeps the Thrift valid.
    const footerStart = b.length - 8 - b.readUInt32LE(b.length - 8);
    const at = b.indexOf("split", footerStart);
    expect(at).toBeGreaterThan(footerStart);
    b.write("splat", at);
    writeFileSync(file, b);
    const err = await readAllItems(file).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/column chunk for an unknown or duplicated path "split"/);
    await new Promise((r) => setTimeout(r, 50)); // let stray rejections surface
  });

  it("raised no unhandled promise rejections", () => {
    expect(unhandled).toEqual([]);
  });
});

type Damage =
  | { kind: "flip"; at: number[]; bit: number }
  | { kind: "set"; at: [number, number][] }
  | { kind: "truncate"; at: number }
  | { kind: "splice"; at: number; bytes: Uint8Array }
  | { kind: "zero"; at: number; len: number };

function applyDamage(base: Buffer, d: Damage): Buffer {
  const b = Buffer.from(base);
  switch (d.kind) {
    case "flip":
      for (const at of d.at) b[at % b.length] ^= 1 << d.bit;
      return b;
    case "set":
      for (const [at, v] of d.at) b[at % b.length] = v;
      return b;
    case "truncate":
      return b.subarray(0, d.at % b.length);
    case "splice": {
      const at = d.at % b.length;
      return Buffer.concat([b.subarray(0, at), Buffer.from(d.bytes), b.subarray(at)]);
    }
    case "zero": {
      const at = d.at % b.length;
      b.fill(0, at, Math.min(b.length, at + d.len));
      return b;
    }
  }
}
