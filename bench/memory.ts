/**
 * Memory benchmark: peak resident memory of `rlev demo`, which runs the arms as child processes.
 * The process tree under the demo is walked in /proc every 250 ms; the figures are the peak of the
 * summed RSS of the tree and the peak of its largest single process. Linux only.
 *
 *   npm run build && node --import tsx bench/memory.ts            (about 8-10 minutes on 2 cores)
 *   node --import tsx bench/memory.ts --source                    the demo from source, under tsx
 *
 * By default it measures the built CLI as a user runs it (`node bin/rlev.js demo`, plain Node in
 * every process) and refuses a dist/ older than src/. `--source` (or RLEV_BENCH_MEMORY_SOURCE=1)
 * runs `src/cli/run-main.ts` under tsx instead, which adds the loader's memory to every process.
 * RLEV_BENCH_QUICK=1 skips the run (the report says so).
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchReport } from "./engine.js";
import { formatReport } from "./engine.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.env.RLEV_BENCH_QUICK === "1";
const fromSource = process.argv.includes("--source") || process.env.RLEV_BENCH_MEMORY_SOURCE === "1";
const TARGET_MB = 1500;

/** The first src/ file newer than its compiled dist/ file (or with none), or null when dist/ is current. */
function staleBuild(): string | null {
  const walk = (dir: string): string | null => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        const found = walk(path);
        if (found) return found;
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        const built = join(root, "dist", relative(join(root, "src"), path)).replace(/\.ts$/, ".js");
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(path).mtimeMs)
          return relative(root, path);
      }
    }
    return null;
  };
  return walk(join(root, "src"));
}

/** pid → parent pid of every process visible in /proc. */
function parentsByPid(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name may hold spaces and parentheses: fields resume after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      out.set(Number(name), ppid);
    } catch {
      // the process exited between readdir and read
    }
  }
  return out;
}

/** Resident bytes of one process (VmRSS), or 0 when it has gone. */
function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The root and all its descendants. */
function tree(rootPid: number): number[] {
  const parents = parentsByPid();
  const members = [rootPid];
  for (let i = 0; i < members.length; i++)
    for (const [pid, ppid] of parents) if (ppid === members[i]) members.push(pid);
  return members;
}

export interface TreeMemory {
  peakTotalBytes: number;
  peakSingleBytes: number;
  peakProcesses: number;
  samples: number;
  seconds: number;
  exitCode: number | null;
  outputTail: string;
}

/** Runs a command, sampling the summed and the largest RSS of its process tree. */
export function measureTree(command: string, args: string[], everyMs = 250): Promise<TreeMemory> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const keep = (d: Buffer) => {
      out = (out + d.toString()).slice(-4000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let peakTotal = 0;
    let peakSingle = 0;
    let peakProcesses = 0;
    let samples = 0;
    const sample = () => {
      if (child.pid === undefined) return;
      const pids = tree(child.pid);
      let total = 0;
      for (const pid of pids) {
        const r = rssBytes(pid);
        total += r;
        peakSingle = Math.max(peakSingle, r);
      }
      peakTotal = Math.max(peakTotal, total);
      peakProcesses = Math.max(peakProcesses, pids.length);
      samples++;
    };
    const timer = setInterval(sample, everyMs);
    child.on("close", (code) => {
      clearInterval(timer);
      resolve({
        peakTotalBytes: peakTotal,
        peakSingleBytes: peakSingle,
        peakProcesses,
        samples,
        seconds: (performance.now() - t0) / 1000,
        exitCode: code,
        outputTail: out.split("\n").slice(-8).join("\n"),
      });
    });
  });
}

export async function benchMemory(): Promise<BenchReport> {
  const load0 = loadavg()[0];
  if (quick || !existsSync("/proc/self/status")) {
    return {
      name: "memory (rlev demo)",
      conditions: {},
      figures: [],
      notes: [
        quick
          ? "Skipped under --quick: the full demo takes about 8 minutes. Run `npm run bench -- memory` for this figure."
          : "Skipped: /proc is not available (Linux only).",
      ],
    };
  }
  const out = await mkdtemp(join(tmpdir(), "rlev-bench-demo-"));
  try {
    let args: string[];
    if (fromSource) args = ["--import", "tsx", join(root, "src", "cli", "run-main.ts")];
    else {
      const stale = staleBuild();
      if (stale)
        throw new Error(
          `dist/ is older than ${stale} (or lacks its build): run \`npm run build\` first, or pass --source`,
        );
      args = [join(root, "bin", "rlev.js")];
    }
    const r = await measureTree(process.execPath, [...args, "demo", "--out", out, "--quiet"]);
    if (r.exitCode !== 0) throw new Error(`rlev demo exited with ${r.exitCode}:\n${r.outputTail}`);
    const mb = (b: number) => b / 1e6;
    return {
      name: "memory (rlev demo)",
      conditions: {
        command: fromSource
          ? "rlev demo --out <temporary folder> --quiet (from source: node --import tsx src/cli/run-main.ts)"
          : "node bin/rlev.js demo --out <temporary folder> --quiet (the built CLI)",
        "sampling interval": "250 ms",
        samples: r.samples,
        "load average at start": Number(load0.toFixed(2)),
        "load average at end": Number(loadavg()[0].toFixed(2)),
      },
      figures: [
        {
          name: "peak RSS, whole process tree (summed)",
          value: mb(r.peakTotalBytes),
          unit: "MB",
          target: TARGET_MB,
          atMost: true,
        },
        { name: "peak RSS, largest single process", value: mb(r.peakSingleBytes), unit: "MB" },
        { name: "processes in the tree at most", value: r.peakProcesses, unit: "" },
        { name: "demo wall time", value: r.seconds, unit: "s" },
      ],
      notes: [
        "RSS counts shared pages (the Node binary, libraries) once per process, so the sum overstates the tree's real footprint a little; it is the conservative figure.",
      ],
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const report = await benchMemory();
  console.log(formatReport(report));
  console.log(`BENCH_RESULT ${JSON.stringify(report)}`);
}
