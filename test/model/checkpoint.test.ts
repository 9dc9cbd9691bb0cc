import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelConfigSchema } from "../../src/config/model.js";
import {
  decodeSafetensors,
  encodeSafetensors,
  readCheckpoint,
  writeCheckpoint,
} from "../../src/model/checkpoint.js";
import { EmbeddedPolicy } from "../../src/model/embedded-policy.js";
import { initHostParams } from "../../src/model/params.js";
import { Tokenizer } from "../../src/model/tokenizer.js";
import { InputError } from "../../src/util/errors.js";
import { packSequences, randomSequences, TINY } from "./helpers.js";

describe("safetensors", () => {
  it("writes the documented layout (fixed vector worked out by hand)", () => {
    const bytes = encodeSafetensors([["x", { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) }]]);
    // Header JSON {"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} is 54 bytes; 8 + 54 = 62 is
    // padded with 2 spaces to 64, so the header length is 56 and the file 8 + 56 + 8 = 72 bytes.
    expect(bytes.length).toBe(72);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([56, 0, 0, 0, 0, 0, 0, 0]);
    expect(Buffer.from(bytes.subarray(8, 64)).toString()).toBe(
      '{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}  ',
    );
    // 1.0f = 0x3F800000 and 2.0f = 0x40000000, little-endian.
    expect(Array.from(bytes.subarray(64))).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]);
    const back = decodeSafetensors(bytes, "x.safetensors");
    expect(Array.from(back.tensors.get("x")!.data)).toEqual([1, 2]);
  });

  it("rejects a truncated file and data offsets outside the file", () => {
    const bytes = encodeSafetensors([["x", { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) }]]);
    expect(() => decodeSafetensors(bytes.subarray(0, 68), "a.safetensors")).toThrow(
      /a\.safetensors.*"x".*do not fit/,
    );
    expect(() => decodeSafetensors(bytes.subarray(0, 5), "b.safetensors")).toThrow(
      /b\.safetensors: truncated/,
    );
  });
});

describe("checkpoints", () => {
  let dir: string;
  let policy: EmbeddedPolicy;
  const tokenizer = Tokenizer.fromAlphabet("0123456789");
  const batch = packSequences(randomSequences(4, 10, 12, 7));
  const lossMask = new Float32Array(batch.tokens.length).fill(1);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "rlev-ckpt-"));
    policy = await EmbeddedPolicy.create(TINY, 11, { tokenizer });
    policy.snapshotReference();
    for (let i = 0; i < 2; i++) await policy.supervisedStep({ ...batch, lossMask }, 1e-2);
  });
  afterAll(async () => {
    policy.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("round-trips weights, optimizer state, reference and tokenizer bit-exactly", async () => {
    const path = join(dir, "a");
    await policy.save(path, { reference: true, meta: { command: "test", seed: 11 } });
    const ckpt = await readCheckpoint(path);
    const before = await policy.hostParams();
    for (const [name, data] of before) expect(ckpt.params.get(name)).toEqual(data);
    expect(ckpt.updates).toBe(2);
    expect(ckpt.meta).toEqual({ command: "test", seed: 11 });
    expect(ckpt.tokenizer?.tokens).toEqual(tokenizer.tokens);
    // The reference is the initial weights (snapshot before training).
    const init = initHostParams(ModelConfigSchema.parse(TINY), 11);
    for (const [name, data] of init) expect(ckpt.reference!.get(name)).toEqual(data);

    const loaded = await EmbeddedPolicy.fromCheckpoint(path);
    try {
      expect(await loaded.logprobs(batch)).toEqual(await policy.logprobs(batch));
      expect(await loaded.referenceLogprobs(batch)).toEqual(await policy.referenceLogprobs(batch));
      // Same optimizer state: one more identical step gives identical weights.
      await loaded.supervisedStep({ ...batch, lossMask }, 1e-2);
      const twin = await EmbeddedPolicy.fromCheckpoint(path);
      await twin.supervisedStep({ ...batch, lossMask }, 1e-2);
      const a = await loaded.hostParams();
      const b = await twin.hostParams();
      for (const [name, data] of a) expect(b.get(name)).toEqual(data);
      twin.dispose();
    } finally {
      loaded.dispose();
    }
    expect((await readdir(dir)).filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("detects a corrupted file and names it", async () => {
    const path = join(dir, "b");
    await policy.save(path);
    const file = join(path, "model.safetensors");
    const bytes = await readFile(file);
    bytes[bytes.length - 3] ^= 0x01;
    await writeFile(file, bytes);
    const err = await readCheckpoint(path).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain("model.safetensors");
    expect(err.message).toContain("sha256");
    await expect(EmbeddedPolicy.fromCheckpoint(path)).rejects.toThrow(/model\.safetensors.*corrupted/);
  });

  it("detects a truncated file and a missing manifest", async () => {
    const path = join(dir, "c");
    await policy.save(path);
    await truncate(join(path, "optimizer.safetensors"), 100);
    await expect(readCheckpoint(path)).rejects.toThrow(/optimizer\.safetensors.*truncated/);
    await rm(join(path, "manifest.json"));
    await expect(readCheckpoint(path)).rejects.toThrow(/manifest\.json.*not a checkpoint/);
  });

  it("replaces an existing checkpoint atomically and leaves it intact when a write fails", async () => {
    const path = join(dir, "d");
    await policy.save(path);
    const first = await readFile(join(path, "manifest.json"), "utf8");
    await policy.supervisedStep({ ...batch, lossMask }, 1e-2);
    await policy.save(path);
    const second = await readFile(join(path, "manifest.json"), "utf8");
    expect(second).not.toBe(first);
    // A write that fails midway (a weight is missing) must leave the previous checkpoint as it was.
    const ckpt = await readCheckpoint(path);
    ckpt.params.delete("head");
    await expect(writeCheckpoint(path, ckpt)).rejects.toThrow(/missing weight "head"/);
    expect(await readFile(join(path, "manifest.json"), "utf8")).toBe(second);
    await readCheckpoint(path);
    expect((await readdir(dir)).filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("rejects weights whose shapes do not match the config (with a consistent manifest)", async () => {
    const path = join(dir, "e");
    await policy.save(path, { optimizerState: false });
    // Claim a wider model in config.json and re-sign it in the manifest: only the shape check is left.
    const configPath = join(path, "config.json");
    const config = JSON.parse(await readFile(configPath, "utf8"));
    config.model.dMlp = 48;
    const text = `${JSON.stringify(config, null, 2)}\n`;
    await writeFile(configPath, text);
    const manifestPath = join(path, "manifest.json");
    const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
    manifest.files["config.json"] = {
      bytes: Buffer.byteLength(text),
      sha256: createHash("sha256").update(text).digest("hex"),
    };
    await writeFile(manifestPath, JSON.stringify(manifest));
    await expect(readCheckpoint(path)).rejects.toThrow(
      /model\.safetensors field "blocks\.0\.w1": shape \[16,32\] does not match the model config \[16,48\]/,
    );
  });
});
