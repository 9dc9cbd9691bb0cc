import { randomBytes } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, "r+");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes a whole file atomically: temporary file in the same folder, fsync, then rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    await writeFile(tmp, data);
    await fsyncFile(tmp);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * A streamed output file that appears under its name only when `commit()` succeeds;
 * `abort()` (or an error before commit) leaves nothing behind, so a failed run never
 * leaves half-written output.
 */
export class AtomicFileWriter {
  readonly path: string;
  private readonly tmp: string;
  private readonly stream: WriteStream;
  private done = false;

  private constructor(path: string) {
    this.path = path;
    this.tmp = tempPathFor(path);
    this.stream = createWriteStream(this.tmp);
  }

  static async open(path: string): Promise<AtomicFileWriter> {
    await mkdir(dirname(path), { recursive: true });
    const w = new AtomicFileWriter(path);
    await new Promise<void>((resolve, reject) => {
      w.stream.once("open", () => resolve());
      w.stream.once("error", reject);
    });
    return w;
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onErr = (e: Error) => reject(e);
        this.stream.once("error", onErr);
        this.stream.once("drain", () => {
          this.stream.off("error", onErr);
          resolve();
        });
      });
    }
  }

  async commit(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await new Promise<void>((resolve, reject) =>
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    await fsyncFile(this.tmp);
    await rename(this.tmp, this.path);
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await new Promise<void>((resolve) => this.stream.end(() => resolve()));
    await rm(this.tmp, { force: true });
  }
}

/** Runs `fill` against an atomic writer: commits on success, removes the partial file on any error. */
export async function withAtomicFile<T>(path: string, fill: (w: AtomicFileWriter) => Promise<T>): Promise<T> {
  const w = await AtomicFileWriter.open(path);
  try {
    const result = await fill(w);
    await w.commit();
    return result;
  } catch (err) {
    await w.abort();
    throw err;
  }
}
