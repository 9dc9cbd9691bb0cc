import { execFileSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";

/** The machine a run used, in one line (for report headers and README timings). */
export function machineLine(): string {
  const cpu = cpus();
  const model = (cpu[0]?.model ?? "unknown CPU").replace(/\s+/g, " ").trim();
  return `${cpu.length} × ${model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, jax-js wasm`;
}

/** One-minute load average now, which says how busy the machine was while timing. */
export function loadLine(): string {
  return loadavg()
    .map((x) => x.toFixed(1))
    .join(" / ");
}

/** The git commit of the working tree (with "+dirty" when it has changes), or null outside a checkout. */
export function gitVersion(): string | null {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      stdio: ["ignore", "pipe", "ignore"],
    })
      .toString()
      .trim();
    return head || null;
  } catch {
    return null;
  }
}
