// Verification benchmark: `npm run bench:verify` (node --import tsx bench/verify.ts [--seconds 2]).
//
// On one core, in-process (verifyAnswer), over MATH-500:
//   answer   reference vs reference, mode "answer"             target >= 10,000 items/s
//   full     reference vs its full solution, mode "full"       target >=  2,000 items/s
//   reformat reference vs a respaced copy (forces parse + equivalence, cold cache)
//   pairs    reference vs another problem's answer (mostly unequal: the slow path)
// and the worker pool (VerifierPool, all CPUs) on "full". Items/s and p50/p99 latency per item.
// Figures depend on the machine and on whatever else runs on it.
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../src/util/atomic.js";
import { Rng } from "../src/util/rng.js";
import { clearParseCache } from "../src/verify/equivalence.js";
import { VerifierPool } from "../src/verify/pool.js";
import type { VerifyInput } from "../src/verify/types.js";
import { verifyAnswer } from "../src/verify/verifiers.js";
import type { BenchFigure, BenchReport } from "./engine.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dataFile = join(root, "../shared/data/math/math500_test.jsonl");
const secondsArg = process.argv.indexOf("--seconds");
const quick = process.env.RLEV_BENCH_QUICK === "1";
const seconds = secondsArg >= 0 ? Number(process.argv[secondsArg + 1]) : quick ? 1 : 2;

interface Row {
  answer: string;
  solution: string;
}

interface Result {
  scenario: string;
  items: number;
  itemsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  correct: number;
  target?: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Runs the inputs round-robin for about `seconds`, timing every item. */
function runInProcess(scenario: string, inputs: VerifyInput[], target?: number, cold = false): Result {
  for (const x of inputs.slice(0, 200)) verifyAnswer(x); // warm-up (JIT, lazy loads)
  const lat: number[] = [];
  let correct = 0;
  const start = performance.now();
  let i = 0;
  while (performance.now() - start < seconds * 1000 || i < inputs.length) {
    if (cold && i % inputs.length === 0) clearParseCache();
    const t0 = performance.now();
    const v = verifyAnswer(inputs[i % inputs.length]);
    lat.push(performance.now() - t0);
    if (v.correct) correct++;
    i++;
  }
  const elapsed = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  return {
    scenario,
    items: i,
    itemsPerSec: i / elapsed,
    p50Ms: quantile(lat, 0.5),
    p99Ms: quantile(lat, 0.99),
    correct,
    target,
  };
}

async function runPool(scenario: string, inputs: VerifyInput[]): Promise<Result> {
  const threads = availableParallelism();
  const pool = new VerifierPool({ threads });
  try {
    await pool.verifyMany(inputs.slice(0, 100)); // start-up and warm-up
    const batch: VerifyInput[] = [];
    while (batch.length < 20_000) batch.push(...inputs);
    const start = performance.now();
    const verdicts = await pool.verifyMany(batch);
    const elapsed = (performance.now() - start) / 1000;
    return {
      scenario: `${scenario} (pool, ${threads} threads)`,
      items: batch.length,
      itemsPerSec: batch.length / elapsed,
      p50Ms: Number.NaN,
      p99Ms: Number.NaN,
      correct: verdicts.filter((v) => v.correct).length,
    };
  } finally {
    await pool.close();
  }
}

async function main(): Promise<void> {
  if (!existsSync(dataFile)) {
    console.log(`SKIP bench/verify: ${dataFile} is absent`);
    const skipped: BenchReport = {
      name: "verify",
      conditions: {},
      figures: [],
      notes: [`Skipped: ${dataFile} (MATH-500) is absent.`],
    };
    console.log(`BENCH_RESULT ${JSON.stringify(skipped)}`);
    return;
  }
  const rows: Row[] = readFileSync(dataFile, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  const answer = rows.map((r) => ({ reference: r.answer, response: r.answer, mode: "answer" as const }));
  const full = rows.map((r) => ({ reference: r.answer, response: r.solution }));
  const respace = (s: string) =>
    s.includes(" ") ? s.replace(/ /g, "") : s.replace(/([,+=])/g, "$1 ").concat(" ");
  const reformat = rows.map((r) => ({
    reference: r.answer,
    response: respace(r.answer),
    mode: "answer" as const,
  }));
  const rng = new Rng(11);
  const pairs = rows.map((r) => ({
    reference: r.answer,
    response: rows[rng.int(rows.length)].answer,
    mode: "answer" as const,
  }));

  const load0 = loadavg()[0];
  const results: Result[] = [
    runInProcess("answer: ref vs ref", answer, 10_000),
    runInProcess("full: ref vs solution", full, 2_000),
    runInProcess("reformat: ref vs respaced ref, cold cache", reformat, undefined, true),
    runInProcess("pairs: ref vs other answer", pairs),
    await runPool("full: ref vs solution", full),
  ];

  console.log("| scenario | items | items/s | p50 ms | p99 ms | correct | target |");
  console.log("|---|---:|---:|---:|---:|---:|---|");
  for (const r of results) {
    const t = r.target
      ? `≥ ${r.target.toLocaleString("en")}/s ${r.itemsPerSec >= r.target ? "met" : "MISSED"}`
      : "";
    const f = (x: number) => (Number.isNaN(x) ? "–" : x.toFixed(3));
    console.log(
      `| ${r.scenario} | ${r.items} | ${Math.round(r.itemsPerSec).toLocaleString("en")} | ${f(r.p50Ms)} | ${f(r.p99Ms)} | ${r.correct} | ${t} |`,
    );
  }
  const out = join(root, "runs/bench/verify.json");
  await writeFileAtomic(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: availableParallelism(), seconds, results }, null, 2)}\n`,
  );
  console.log(`wrote ${out}`);
  const figures: BenchFigure[] = [];
  for (const r of results) {
    const onOneCore = !r.scenario.includes("pool");
    figures.push({
      name: `${r.scenario}${onOneCore ? ", one core" : ""}`,
      value: r.itemsPerSec,
      unit: "items/s",
      ...(r.target ? { target: r.target } : {}),
    });
    if (onOneCore) figures.push({ name: `${r.scenario}, p99 latency`, value: r.p99Ms, unit: "ms" });
  }
  const report: BenchReport = {
    name: "verify",
    conditions: {
      data: `MATH-500 (${rows.length} problems)`,
      "seconds per scenario": seconds,
      "load average at start": Number(load0.toFixed(2)),
      "load average at end": Number(loadavg()[0].toFixed(2)),
    },
    figures,
    notes: [
      'One core: verifyAnswer in this process, every item timed (p99 over all timed items). The pool row uses all cores through worker threads. "cold cache" clears the parse cache each pass over the data.',
      `Verdicts counted correct: ${results.map((r) => `${r.scenario} ${r.correct}/${r.items}`).join("; ")}.`,
    ],
  };
  console.log(`BENCH_RESULT ${JSON.stringify(report)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
