import { writeFileAtomic } from "../util/atomic.js";

/** Writes pretty JSON atomically. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
