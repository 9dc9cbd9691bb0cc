import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import {
  type ModelConfig,
  ModelConfigSchema,
  type OptimizerConfig,
  OptimizerConfigSchema,
} from "../config/model.js";
import { InputError } from "../util/errors.js";
import { type HostParams, paramSpecs } from "./params.js";
import { Tokenizer } from "./tokenizer.js";

/**
 * Checkpoint directories:
 *
 *   model.safetensors      the weights (F32, named as transformer.paramSpecs names them)
 *   optimizer.safetensors  AdamW moments "m.<name>", "v.<name>" (optional)
 *   reference.safetensors  the frozen reference policy (optional)
 *   config.json            model and optimizer configuration, update count, free-form metadata
 *   tokenizer.json         the task's tokenizer (optional)
 *   manifest.json          size and sha256 of every file above
 *
 * A checkpoint is written into a temporary sibling directory, every file fsync'd, then renamed
 * into place, so a reader never sees a half-written one. Reading verifies every checksum first,
 * so a corrupted or truncated file is reported by name.
 */

export const CHECKPOINT_FORMAT = "rlev-checkpoint";
export const CHECKPOINT_VERSION = 1;

/** Free-form provenance stored in config.json (command, seed, data hash, step, ...). */
export type CheckpointMeta = Record<string, unknown>;

export interface CheckpointContents {
  model: ModelConfig;
  optimizer: OptimizerConfig;
  updates: number;
  params: HostParams;
  adam: { m: HostParams; v: HostParams } | null;
  reference: HostParams | null;
  tokenizer: Tokenizer | null;
  meta: CheckpointMeta;
}

export type LoadedCheckpoint = CheckpointContents;

interface ManifestEntry {
  bytes: number;
  sha256: string;
}

interface Manifest {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  files: Record<string, ManifestEntry>;
}

// ---------------------------------------------------------------------------------------------
// safetensors: u64 little-endian header length, JSON header, raw little-endian tensor data.

export interface Tensor {
  dtype: "F32";
  shape: number[];
  data: Float32Array;
}

/** Encodes named F32 tensors (in the given order) as a safetensors file. */
export function encodeSafetensors(
  tensors: [string, Tensor][],
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length)
      throw new RangeError(`tensor ${name}: shape [${t.shape}] does not match ${t.data.length} values`);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so tensor data starts 8-byte aligned (as the reference writer does).
  json += " ".repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, "utf8");
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const [, t] of tensors) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}

/** Decodes a safetensors file (F32 tensors only); `file` names the source in errors. */
export function decodeSafetensors(
  bytes: Uint8Array,
  file: string,
): { tensors: Map<string, Tensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new InputError({ file }, "truncated safetensors file (no header length)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > bytes.length - 8) throw new InputError({ file }, "truncated safetensors file (header)");
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLen)).toString("utf8"));
  } catch (err) {
    throw new InputError({ file }, `invalid safetensors header (${(err as Error).message})`);
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const tensors = new Map<string, Tensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = entry as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    if (e.dtype !== "F32")
      throw new InputError({ file, field: name }, `unsupported dtype ${e.dtype} (only F32)`);
    const [begin, end] = e.data_offsets ?? [-1, -1];
    const n = (e.shape ?? []).reduce((a, b) => a * b, 1);
    if (!(begin >= 0 && end <= dataLen && end - begin === n * 4))
      throw new InputError(
        { file, field: name },
        `data offsets [${begin}, ${end}] do not fit shape [${e.shape}] in ${dataLen} data bytes`,
      );
    // Copy: the data may not be 4-byte aligned inside the file buffer.
    const data = new Float32Array(n);
    new Uint8Array(data.buffer).set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors.set(name, { dtype: "F32", shape: e.shape ?? [], data });
  }
  return { tensors, metadata };
}

// ---------------------------------------------------------------------------------------------

function paramTensors(model: ModelConfig, params: HostParams, prefix = ""): [string, Tensor][] {
  return paramSpecs(model).map((spec) => {
    const data = params.get(spec.name);
    if (!data) throw new Error(`missing weight "${spec.name}"`);
    return [prefix + spec.name, { dtype: "F32", shape: spec.shape, data }];
  });
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function writeSynced(path: string, data: Uint8Array | string): Promise<void> {
  const fh = await open(path, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function syncDir(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes a checkpoint directory atomically (replacing an existing one at `dir`). */
export async function writeCheckpoint(dir: string, c: CheckpointContents): Promise<void> {
  const target = resolve(dir);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const tmp = join(parent, `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  await mkdir(tmp);
  try {
    const files: [string, Uint8Array][] = [];
    files.push(["model.safetensors", encodeSafetensors(paramTensors(c.model, c.params), { format: "pt" })]);
    if (c.adam)
      files.push([
        "optimizer.safetensors",
        encodeSafetensors(
          [...paramTensors(c.model, c.adam.m, "m."), ...paramTensors(c.model, c.adam.v, "v.")],
          {
            updates: String(c.updates),
          },
        ),
      ]);
    if (c.reference)
      files.push([
        "reference.safetensors",
        encodeSafetensors(paramTensors(c.model, c.reference), { format: "pt" }),
      ]);
    const config = {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      model: c.model,
      optimizer: c.optimizer,
      updates: c.updates,
      meta: c.meta,
    };
    files.push(["config.json", Buffer.from(`${JSON.stringify(config, null, 2)}\n`)]);
    if (c.tokenizer)
      files.push(["tokenizer.json", Buffer.from(`${JSON.stringify(c.tokenizer.toJSON(), null, 2)}\n`)]);
    const manifest: Manifest = { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, files: {} };
    for (const [name, bytes] of files) {
      await writeSynced(join(tmp, name), bytes);
      manifest.files[name] = { bytes: bytes.length, sha256: sha256(bytes) };
    }
    await writeSynced(join(tmp, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await syncDir(tmp);
    // rename() cannot replace a non-empty directory: move the old one aside first.
    const old = `${tmp}.old`;
    let hadOld = false;
    try {
      await rename(target, old);
      hadOld = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    try {
      await rename(tmp, target);
    } catch (err) {
      if (hadOld) await rename(old, target);
      throw err;
    }
    await syncDir(parent);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function readVerified(
  dir: string,
  name: string,
  entry: ManifestEntry | undefined,
): Promise<Uint8Array> {
  const path = join(dir, name);
  if (!entry)
    throw new InputError({ file: join(dir, "manifest.json"), field: `files.${name}` }, "missing entry");
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    throw new InputError({ file: path }, "checkpoint file is missing or unreadable");
  }
  if (bytes.length !== entry.bytes)
    throw new InputError(
      { file: path },
      `checkpoint file is truncated or corrupted: ${bytes.length} bytes, manifest says ${entry.bytes}`,
    );
  if (sha256(bytes) !== entry.sha256)
    throw new InputError({ file: path }, "checkpoint file is corrupted: sha256 does not match manifest.json");
  return bytes;
}

function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (err) {
    throw new InputError({ file }, `invalid JSON (${(err as Error).message})`);
  }
}

function paramsFrom(model: ModelConfig, tensors: Map<string, Tensor>, file: string, prefix = ""): HostParams {
  const out: HostParams = new Map();
  for (const spec of paramSpecs(model)) {
    const t = tensors.get(prefix + spec.name);
    if (!t) throw new InputError({ file, field: prefix + spec.name }, "tensor missing");
    if (t.shape.length !== spec.shape.length || t.shape.some((d, i) => d !== spec.shape[i]))
      throw new InputError(
        { file, field: prefix + spec.name },
        `shape [${t.shape}] does not match the model config [${spec.shape}]`,
      );
    out.set(spec.name, t.data);
  }
  return out;
}

/** True when `dir` holds a checkpoint manifest (does not verify it). */
export async function isCheckpoint(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, "manifest.json"))).isFile();
  } catch {
    return false;
  }
}

/** Reads and verifies a checkpoint directory. Errors are InputErrors naming the offending file. */
export async function readCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const manifestPath = join(dir, "manifest.json");
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = await readFile(manifestPath);
  } catch {
    throw new InputError({ file: manifestPath }, "not a checkpoint (manifest.json is missing)");
  }
  const manifest = parseJson(manifestBytes, manifestPath) as Partial<Manifest>;
  if (manifest?.format !== CHECKPOINT_FORMAT || typeof manifest.files !== "object" || !manifest.files)
    throw new InputError({ file: manifestPath, field: "format" }, `expected "${CHECKPOINT_FORMAT}"`);
  if (manifest.version !== CHECKPOINT_VERSION)
    throw new InputError({ file: manifestPath, field: "version" }, `unsupported version ${manifest.version}`);
  const files = manifest.files;
  // Verify every listed file before using any of them.
  const contents = new Map<string, Uint8Array>();
  for (const [name, entry] of Object.entries(files)) {
    if (name.includes("/") || name.includes("\\") || name.startsWith("."))
      throw new InputError({ file: manifestPath, field: `files.${name}` }, "invalid file name");
    contents.set(name, await readVerified(dir, name, entry));
  }
  const configPath = join(dir, "config.json");
  if (!contents.has("config.json"))
    throw new InputError({ file: manifestPath, field: "files.config.json" }, "missing entry");
  if (!contents.has("model.safetensors"))
    throw new InputError({ file: manifestPath, field: "files.model.safetensors" }, "missing entry");
  const config = parseJson(contents.get("config.json")!, configPath) as Record<string, unknown>;
  const modelParsed = ModelConfigSchema.safeParse(config.model);
  if (!modelParsed.success) {
    const issue = modelParsed.error.issues[0];
    throw new InputError(
      { file: configPath, field: ["model", ...issue.path.map(String)].join(".") },
      issue.message,
    );
  }
  const optParsed = OptimizerConfigSchema.safeParse(config.optimizer ?? {});
  if (!optParsed.success) {
    const issue = optParsed.error.issues[0];
    throw new InputError(
      { file: configPath, field: ["optimizer", ...issue.path.map(String)].join(".") },
      issue.message,
    );
  }
  const model = modelParsed.data;
  const updates = Number(config.updates ?? 0);
  if (!Number.isInteger(updates) || updates < 0)
    throw new InputError({ file: configPath, field: "updates" }, "must be a non-negative integer");

  const modelFile = join(dir, "model.safetensors");
  const params = paramsFrom(
    model,
    decodeSafetensors(contents.get("model.safetensors")!, modelFile).tensors,
    modelFile,
  );
  let adam: LoadedCheckpoint["adam"] = null;
  if (contents.has("optimizer.safetensors")) {
    const file = join(dir, "optimizer.safetensors");
    const { tensors } = decodeSafetensors(contents.get("optimizer.safetensors")!, file);
    adam = { m: paramsFrom(model, tensors, file, "m."), v: paramsFrom(model, tensors, file, "v.") };
  }
  let reference: HostParams | null = null;
  if (contents.has("reference.safetensors")) {
    const file = join(dir, "reference.safetensors");
    reference = paramsFrom(
      model,
      decodeSafetensors(contents.get("reference.safetensors")!, file).tensors,
      file,
    );
  }
  let tokenizer: Tokenizer | null = null;
  if (contents.has("tokenizer.json")) {
    const file = join(dir, "tokenizer.json");
    tokenizer = Tokenizer.fromJSON(parseJson(contents.get("tokenizer.json")!, file), file);
    if (tokenizer.vocabSize > model.vocabSize)
      throw new InputError(
        { file, field: "tokens" },
        `${tokenizer.vocabSize} tokens exceed model.vocabSize ${model.vocabSize}`,
      );
  }
  return {
    model,
    optimizer: optParsed.data,
    updates,
    params,
    adam,
    reference,
    tokenizer,
    meta: (config.meta as CheckpointMeta) ?? {},
  };
}

/** The sha256 of a checkpoint's weights file as recorded in its manifest (identifies a warm-up). */
export async function checkpointDigest(dir: string): Promise<string> {
  const manifestPath = join(dir, "manifest.json");
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(await readFile(manifestPath, "utf8"));
  } catch {
    throw new InputError({ file: manifestPath }, "not a checkpoint (manifest.json is missing or invalid)");
  }
  const entry = manifest.files?.["model.safetensors"];
  if (!entry) throw new InputError({ file: manifestPath, field: "files.model.safetensors" }, "missing entry");
  return entry.sha256;
}
