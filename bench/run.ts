/**
 * Runs every benchmark under bench/ (each in its own process, one after another, so they do not
 * compete for the cores) and writes runs/bench/results.json and runs/bench/results.md.
 *
 *   npm run bench                 all of bench/*.ts except this file
 *   npm run bench -- engine       only files whose name contains "engine"
 *   npm run bench -- --quick      fewer repetitions; skips the ~8-minute demo memory run
 *
 * Protocol: a benchmark file run directly prints what it likes and, as one line,
 * `BENCH_RESULT <json>` with `{ name, conditions, figures: [{ name, value, unit, target?, atMost?, baseline? }], notes }`
 * (`atMost`: the target is an upper bound, as for latency and memory). RLEV_BENCH_QUICK=1 is set
 * for every file under --quick. The 1-minute load average is recorded before and after each file
 * and sampled every 5 s while it runs.
 * A file that prints no such line is recorded with its exit code and the tail of its output.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { availableParallelism, cpus, loadavg } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../src/util/atomic.js";
import type { BenchFigure } from "./engine.js";

interface Report {
  name: string;
  conditions?: Record<string, unknown>;
  figures?: BenchFigure[];
  notes?: string[];
}

interface Outcome {
  file: string;
  exitCode: number;
  seconds: number;
  report: Report | null;
  outputTail: string;
  load: LoadWindow;
}

/** 1-minute load average before, during (sampled every 5 s) and after one benchmark. */
interface LoadWindow {
  before: number;
  after: number;
  mean: number;
  max: number;
}

const round2 = (x: number) => Number(x.toFixed(2));

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");

function runOne(file: string, quick: boolean): Promise<Outcome> {
  return new Promise((done) => {
    const t0 = performance.now();
    const before = loadavg()[0];
    const samples = [before];
    const sampler = setInterval(() => samples.push(loadavg()[0]), 5000);
    const child = spawn(process.execPath, ["--import", "tsx", join(here, file)], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: quick ? { ...process.env, RLEV_BENCH_QUICK: "1" } : process.env,
    });
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("close", (code) => {
      clearInterval(sampler);
      const after = loadavg()[0];
      samples.push(after);
      const load: LoadWindow = {
        before: round2(before),
        after: round2(after),
        mean: round2(samples.reduce((a, b) => a + b, 0) / samples.length),
        max: round2(Math.max(...samples)),
      };
      let report: Report | null = null;
      for (const line of out.split("\n"))
        if (line.startsWith("BENCH_RESULT ")) {
          try {
            report = JSON.parse(line.slice("BENCH_RESULT ".length));
          } catch {
            report = null;
          }
        }
      const tail = out
        .split("\n")
        .filter((l) => !l.startsWith("BENCH_RESULT "))
        .slice(-20)
        .join("\n");
      done({
        file,
        exitCode: code ?? -1,
        seconds: (performance.now() - t0) / 1000,
        report,
        outputTail: tail,
        load,
      });
    });
  });
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 100) return Math.round(v).toLocaleString("en-US");
  if (a >= 10) return v.toFixed(1);
  return a >= 1 || a === 0 ? v.toFixed(2) : v.toPrecision(2);
}

function targetCell(f: BenchFigure): string {
  if (f.target === undefined) return "";
  return `${f.atMost ? "≤" : "≥"} ${fmt(f.target)}`;
}

function verdict(f: BenchFigure): string {
  if (f.target === undefined) return "";
  return (f.atMost ? f.value <= f.target : f.value >= f.target) ? "met" : "**missed**";
}

/** The machine as `nproc` and /proc/cpuinfo describe it. */
function machine(): { cpu: string; nproc: number; node: string } {
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) cpu = m[1].trim();
  } catch {
    // not Linux: os.cpus() is the best we have
  }
  return { cpu, nproc: availableParallelism(), node: process.version };
}

function loadCell(l: LoadWindow): string {
  return `${l.before} → ${l.after} (mean ${l.mean}, max ${l.max})`;
}

function figureRow(f: BenchFigure, bench?: string): string {
  const cells = [
    ...(bench ? [bench] : []),
    f.name,
    `${fmt(f.value)} ${f.unit}`,
    targetCell(f),
    verdict(f),
    f.baseline === undefined ? "" : `${fmt(f.baseline)}`,
  ];
  return `| ${cells.join(" | ")} |`;
}

function markdown(outcomes: Outcome[], startedAt: string, command: string): string {
  const m = machine();
  const lines = [
    "# Benchmarks",
    "",
    `\`${command}\`, started ${startedAt}; ${m.cpu}, nproc ${m.nproc}, Node ${m.node}.`,
    "The machine is shared: every figure is measured in the same run as the figures it is compared with, and the 1-minute load average (before → after, mean and max of 5-s samples) is given per benchmark.",
    "",
    "## Figures with a target",
    "",
    "| benchmark | figure | value | target | | baseline |",
    "|---|---|---|---|---|---|",
  ];
  for (const o of outcomes) {
    const name = o.report?.name ?? o.file;
    if (!o.report) lines.push(`| ${name} | no result (exit code ${o.exitCode}) | | | | |`);
    else if (!o.report.figures?.length)
      lines.push(`| ${name} | ${o.report.notes?.[0] ?? "no figures"} | | | | |`);
    for (const f of o.report?.figures ?? []) if (f.target !== undefined) lines.push(figureRow(f, name));
  }
  lines.push("", "| benchmark | seconds | exit | load average |", "|---|---|---|---|");
  for (const o of outcomes)
    lines.push(
      `| ${o.report?.name ?? basename(o.file, ".ts")} | ${o.seconds.toFixed(0)} | ${o.exitCode} | ${loadCell(o.load)} |`,
    );
  for (const o of outcomes) {
    lines.push(
      "",
      `## ${o.report?.name ?? basename(o.file, ".ts")} (bench/${o.file}, ${o.seconds.toFixed(0)} s)`,
    );
    lines.push("", `Load average ${loadCell(o.load)}.`);
    if (!o.report) {
      lines.push(
        "",
        `No BENCH_RESULT line (exit code ${o.exitCode}). Output tail:`,
        "",
        "```",
        o.outputTail,
        "```",
      );
      continue;
    }
    if (o.exitCode !== 0) lines.push("", `Exit code ${o.exitCode}.`);
    const conditions = Object.entries(o.report.conditions ?? {});
    if (conditions.length) lines.push("");
    for (const [k, v] of conditions) lines.push(`- ${k}: ${v}`);
    if (o.report.figures?.length) {
      lines.push("", "| figure | value | target | | baseline |", "|---|---|---|---|---|");
      for (const f of o.report.figures) lines.push(figureRow(f));
    }
    for (const n of o.report.notes ?? []) lines.push("", n);
  }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const filters = args.filter((a) => !a.startsWith("--"));
  const files = (await readdir(here))
    .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.endsWith(".d.ts"))
    .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
    .sort();
  if (files.length === 0) throw new Error(`no benchmark matches ${filters.join(", ")}`);
  const command = ["npm run bench", ...(args.length ? ["--", ...args] : [])].join(" ");
  const startedAt = new Date().toISOString();
  const load = loadavg();
  const outcomes: Outcome[] = [];
  for (const f of files) {
    console.log(`\n== bench/${f}`);
    outcomes.push(await runOne(f, quick));
  }
  const outDir = join(root, "runs", "bench");
  const json = {
    command,
    quick,
    startedAt,
    finishedAt: new Date().toISOString(),
    host: {
      ...machine(),
      loadAverageAtStart: load.map(round2),
      loadAverageAtEnd: loadavg().map(round2),
    },
    results: outcomes,
  };
  await writeFileAtomic(join(outDir, "results.json"), `${JSON.stringify(json, null, 2)}\n`);
  await writeFileAtomic(join(outDir, "results.md"), markdown(outcomes, startedAt, command));
  console.log(`\nwrote ${join("runs", "bench", "results.json")} and results.md`);
  if (outcomes.some((o) => o.exitCode !== 0)) process.exitCode = 1;
}

await main();
