/**
 * Runs every benchmark under bench/ (each in its own process, one after another, so they do not
 * compete for the cores) and writes runs/bench/results.json and runs/bench/results.md.
 *
 *   npm run bench                 all of bench/*.ts except this file
 *   npm run bench -- engine       only files whose name contains "engine"
 *
 * Protocol: a benchmark file run directly prints what it likes and, as one line,
 * `BENCH_RESULT <json>` with `{ name, conditions, figures: [{ name, value, unit, target?, baseline? }], notes }`.
 * A file that prints no such line is recorded with its exit code and the tail of its output.
 */
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { availableParallelism, cpus, loadavg } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../src/util/atomic.js";

interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: number;
  baseline?: number;
}

interface Report {
  name: string;
  conditions?: Record<string, unknown>;
  figures?: Figure[];
  notes?: string[];
}

interface Outcome {
  file: string;
  exitCode: number;
  seconds: number;
  report: Report | null;
  outputTail: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");

function runOne(file: string): Promise<Outcome> {
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", join(here, file)], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: process.env,
    });
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("close", (code) => {
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
      });
    });
  });
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}

function markdown(outcomes: Outcome[], startedAt: string): string {
  const lines = [
    "# Benchmarks",
    "",
    `Run ${startedAt} on ${cpus()[0]?.model ?? "unknown CPU"}, ${availableParallelism()} cores, Node ${process.version}.`,
    "Timings on a shared machine are noisy: compare figures within one run (the load average is recorded).",
  ];
  for (const o of outcomes) {
    lines.push("", `## ${o.report?.name ?? basename(o.file, ".ts")} (${o.file}, ${o.seconds.toFixed(0)} s)`);
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
    for (const [k, v] of Object.entries(o.report.conditions ?? {})) lines.push(`- ${k}: ${v}`);
    if (o.report.figures?.length) {
      lines.push("", "| figure | value | target | baseline |", "|---|---|---|---|");
      for (const f of o.report.figures) {
        const target =
          f.target === undefined ? "" : `≥ ${f.target} ${f.value >= f.target ? "met" : "missed"}`;
        lines.push(`| ${f.name} | ${fmt(f.value)} ${f.unit} | ${target} | ${f.baseline ?? ""} |`);
      }
    }
    for (const n of o.report.notes ?? []) lines.push("", n);
  }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = (await readdir(here))
    .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.endsWith(".d.ts"))
    .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
    .sort();
  if (files.length === 0) throw new Error(`no benchmark matches ${filters.join(", ")}`);
  const startedAt = new Date().toISOString();
  const load = loadavg()[0];
  const outcomes: Outcome[] = [];
  for (const f of files) {
    console.log(`\n== bench/${f}`);
    outcomes.push(await runOne(f));
  }
  const outDir = join(root, "runs", "bench");
  const json = {
    startedAt,
    host: {
      cpu: cpus()[0]?.model ?? "unknown",
      cores: availableParallelism(),
      node: process.version,
      loadAverageAtStart: Number(load.toFixed(2)),
    },
    results: outcomes,
  };
  await writeFileAtomic(join(outDir, "results.json"), `${JSON.stringify(json, null, 2)}\n`);
  await writeFileAtomic(join(outDir, "results.md"), markdown(outcomes, startedAt));
  console.log(`\nwrote ${join("runs", "bench", "results.json")} and results.md`);
  if (outcomes.some((o) => o.exitCode !== 0)) process.exitCode = 1;
}

await main();
