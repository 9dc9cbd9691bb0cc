import { type FileHandle, mkdir, open, readFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * An append-only JSONL file that survives crashes: on open it gives back its non-empty lines (a
 * torn last line from a crash mid-write among them, for the reader to reject), and the first
 * append fences that torn line off with a newline; every append is fsync'd before it resolves. The resume caches of
 * `rlev eval --endpoint` and `rlev grade` both sit on it.
 */
export class AppendLog {
  private fh: FileHandle | undefined;

  private constructor(
    readonly path: string,
    private needsFence: boolean,
  ) {}

  /** Opens `path` (creating its folder; a missing file is an empty log) and reads its complete lines. */
  static async open(path: string): Promise<{ log: AppendLog; lines: string[] }> {
    await mkdir(dirname(path), { recursive: true });
    let text = "";
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    const lines = text.split("\n");
    // After a crash the text past the last newline is torn: it is returned too, for the reader to
    // parse or count as skipped, and the next append starts on a fresh line.
    const complete = text.endsWith("\n") ? lines.slice(0, -1) : lines;
    const log = new AppendLog(path, text.length > 0 && !text.endsWith("\n"));
    return { log, lines: complete.filter((line) => line.trim() !== "") };
  }

  /** Appends the lines (no newlines inside) and fsyncs them once. */
  async append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    this.fh ??= await open(this.path, "a");
    const fence = this.needsFence ? "\n" : "";
    this.needsFence = false;
    await this.fh.write(`${fence}${lines.join("\n")}\n`);
    await this.fh.datasync();
  }

  async close(): Promise<void> {
    await this.fh?.close();
    this.fh = undefined;
  }
}
