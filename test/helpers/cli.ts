import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const sharedData = resolve(repoRoot, "../shared/data");
export const hasSharedData = existsSync(sharedData);

/** Prints a visible note and returns true when ../shared/data is absent (a user's clone has none). */
export function skipWithoutSharedData(what: string): boolean {
  if (!hasSharedData)
    console.warn(
      `SKIP ${what}: ../shared/data is absent (tests that read the shipped data sets are skipped)`,
    );
  return !hasSharedData;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source in a child process (real argv, real exit code). */
export function runCli(
  args: string[],
  opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "src/cli/run-main.ts"), ...args],
      {
        cwd: opts.cwd ?? repoRoot,
        env: { ...process.env, ...opts.env },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}
