import { join } from "node:path";
import { renderChartPng } from "../report/browser.js";
import { writeReport } from "../report/io.js";
import type { Claim, Note, ReportData, ResultsTable } from "../report/types.js";
import { generateExams } from "../task/exams.js";
import { writeFileAtomic } from "../util/atomic.js";
import { breakEvenByDifficulty, breakEvenTable, type MeasuredArm } from "./break-even.js";
import { claimsMarkdown, gridClaims, type RunsByCell } from "./claims/index.js";
import type { ExperimentConfig } from "./config.js";
import { finishedRecords, type GridPlan, planGrid } from "./experiment.js";
import { type Cell, canonicalJson, cellId, defaultAlpha, expandGrid, sha256 } from "./grid.js";
import { writeJsonAtomic } from "./io.js";
import { ESTIMATOR_LABELS } from "./labels.js";
import { gitVersion, machineLine } from "./provenance.js";
import type { JobRecord } from "./record.js";
import {
  type ArmRuns,
  eosGradient,
  eosTrajectories,
  lengthByValue,
  resultsTable,
  trainingCurves,
  withinDifficulty,
} from "./report-data.js";
import { sensitivityDataTable, sensitivityTable } from "./sensitivity-report.js";
import { formatMarkdownTable, formatTextTable } from "./table.js";

export { ESTIMATOR_LABELS, gridClaims };

export function rewardLabel(cell: Pick<Cell, "reward" | "alpha" | "values">, defaultAlpha: number): string {
  const a = cell.alpha !== defaultAlpha ? ` α = ${cell.alpha}` : "";
  switch (cell.reward) {
    case "correctness":
      return "correctness";
    case "rlev":
      return cell.values === "weak" ? `RLEV, weak values${a}` : `RLEV α = ${cell.alpha}`;
    case "uniform":
      return `uniform s̄${a}`;
    case "shuffled":
      return `shuffled values${a}`;
    case "multiplicative":
      return `multiplicative 1 + α·v${a}`;
    case "shuffled-within":
      return `values shuffled within difficulty${a}`;
    case "uniform-by-difficulty":
      return `uniform by difficulty s̄(k)${a}`;
  }
}

export function cellLabel(cell: Cell, exp: ExperimentConfig, defaultAlpha: number): string {
  const size = exp.sizes[cell.size]?.label ?? cell.size;
  const variant = cell.variant ? ` (${cell.variant.tag})` : "";
  return `${size} · ${ESTIMATOR_LABELS[cell.estimator] ?? cell.estimator} · ${rewardLabel(cell, defaultAlpha)}${variant}`;
}

/** Rows of the results table: every block lists its cells (a cell in two blocks appears in both). */
export function gridTable(
  exp: ExperimentConfig,
  cells: readonly Cell[],
  runs: RunsByCell,
  defaultAlpha: number,
): ResultsTable {
  const byId = new Map(cells.map((c) => [c.id, c]));
  const arms: ArmRuns[] = [];
  const shown = new Set<string>();
  for (const block of exp.grids) {
    const inBlock = expandGrid({ ...exp, grids: [block] })
      .map((c) => byId.get(c.id))
      .filter((c): c is Cell => !!c);
    // A block already shown in full (e.g. the matched-scale controls, placed beside RLEV) is skipped.
    if (inBlock.every((c) => shown.has(c.id))) continue;
    const main = block.estimator.length > 1 || block.size.length > 1;
    const push = (cell: Cell, note?: string) => {
      const size = exp.sizes[cell.size]?.label ?? cell.size;
      const est = ESTIMATOR_LABELS[cell.estimator] ?? cell.estimator;
      arms.push({
        id: cell.id,
        label: `${main ? "" : `${est} · `}${rewardLabel(cell, defaultAlpha)}${cell.variant ? ` (${cell.variant.tag})` : ""}`,
        group: main
          ? `${block.label ?? block.name}: ${est}, ${size}`
          : `${block.label ?? block.name} (${size})`,
        note,
        records: runs.get(cell.id) ?? [],
      });
      shown.add(cell.id);
    };
    for (const cell of inBlock) {
      push(cell);
      // Every RLEV row gets its matched-scale control beside it, wherever the grid lists it.
      if (main && cell.reward === "rlev" && cell.values === "exam") {
        const control = byId.get(cellId({ ...cell, reward: "uniform" }, defaultAlpha));
        if (control && !inBlock.includes(control)) push(control, "matched-scale control");
      }
    }
  }
  return resultsTable(arms);
}

export interface ExperimentReportOptions {
  configFile: string;
  overrides?: string[];
  results?: string;
  output?: string;
  /** Save the key chart as PNG (null: do not). */
  png?: string | null;
  /** The Markdown table for the README (default: next to the report, table.md). */
  markdown?: string;
  command?: string;
  /** Seeds whose runs count (default: the config's); a cell may have more seeds than the config plans. */
  seeds?: number[];
}

export interface ExperimentReport {
  report: string;
  markdown: string;
  table: string;
  claims: Claim[];
  finished: number;
  total: number;
  pngWritten: boolean;
}

/**
 * The break-even table for the key estimator at the first size: one group per length cost that has
 * a correctness / RLEV / uniform triple (the main cells and each variant's, e.g. `+price14`).
 */
function breakEvenSection(
  plan: GridPlan,
  runs: RunsByCell,
  size: string,
  estimator: string | undefined,
): ResultsTable | null {
  if (!estimator) return null;
  const jobOf = (cell: string) => plan.jobs.find((j) => j.cell === cell);
  const suffixes = [
    "",
    ...new Set(plan.cells.map((c) => (c.variant ? `+${c.variant.tag}` : "")).filter(Boolean)),
  ];
  const groups = [];
  for (const sfx of suffixes) {
    const id = (r: string) => `${size}/${estimator}/${r}${sfx}`;
    const rlevJob = jobOf(id("rlev"));
    if (!rlevJob || !jobOf(id("correctness")) || !jobOf(id("uniform"))) continue;
    const reward = rlevJob.config.reward;
    if (!(reward.lengthCost > 0)) continue;
    const analysis = breakEvenByDifficulty(generateExams(rlevJob.config.task).train, reward);
    const arms: MeasuredArm[] = (["correctness", "uniform", "rlev"] as const).map((key) => ({
      key,
      label: key,
      records: runs.get(id(key)) ?? [],
    }));
    groups.push({
      title: `λ = ${reward.lengthCost} per token (${ESTIMATOR_LABELS[estimator] ?? estimator}, ${id("*")}; s̄ = ${analysis.uniformScale.toFixed(3)})`,
      analysis,
      arms,
    });
  }
  return groups.length ? breakEvenTable(groups) : null;
}

/** Groups the finished records of a plan by cell, seeds ascending. */
export function runsByCell(plan: GridPlan, current: Map<string, JobRecord>): Map<string, JobRecord[]> {
  const runs = new Map<string, JobRecord[]>(plan.cells.map((c) => [c.id, []]));
  for (const r of current.values()) runs.get(r.cell)?.push(r);
  for (const list of runs.values()) list.sort((a, b) => a.seed - b.seed);
  return runs;
}

/**
 * `rlev experiment --report`: the HTML report, the README's Markdown table and the claims from
 * whatever runs have finished (CIs only where two or more seeds exist; claims without data are
 * marked inconclusive).
 */
export async function buildExperimentReport(opts: ExperimentReportOptions): Promise<ExperimentReport> {
  const plan = await planGrid({ configFile: opts.configFile, overrides: opts.overrides, seeds: opts.seeds });
  const { exp, cells } = plan;
  const seeds = opts.seeds ?? exp.seeds;
  const { current } = await finishedRecords(plan, opts.results ?? exp.results);
  const runs = runsByCell(plan, current);
  const alpha0 = defaultAlpha(exp);
  const table = gridTable(exp, cells, runs, alpha0);
  const lengthCost = new Map(plan.jobs.map((j) => [j.cell, j.config.reward.lengthCost]));
  const claims = gridClaims(exp, cells, runs, { lengthCostOf: (c) => lengthCost.get(c) });
  const main = Object.keys(exp.sizes)[0];
  // Charts show the reward arms of one estimator (RLOO when the grid has it) at the first size.
  const estimators = [...new Set(cells.filter((c) => c.size === main).map((c) => c.estimator as string))];
  const keyEstimator = ["rloo", "reinforce_pp", "drgrpo", ...estimators].find((e) => estimators.includes(e));
  const keyIds = ["correctness", "rlev", "uniform", "shuffled"]
    .map((r) => `${main}/${keyEstimator}/${r}`)
    .filter((i) => runs.has(i));
  const keyArms: ArmRuns[] = keyIds.map((i) => ({
    id: i,
    label: cellLabel(cells.find((c) => c.id === i)!, exp, alpha0),
    records: runs.get(i) ?? [],
  }));
  const breakEven = breakEvenSection(plan, runs, main, keyEstimator);
  const sensitivity = sensitivityTable(
    cells
      .filter((c) => c.size === main)
      .map((c) => ({ id: c.id, label: cellLabel(c, exp, alpha0), records: runs.get(c.id) ?? [] })),
  );
  const first = plan.jobs[0]?.config;
  const evalItems = first?.train.evalItems ?? 0;
  const allRecords = [...current.values()];
  const wall = allRecords.reduce((s, r) => s + r.wallSeconds, 0);
  const missingWarmups = [...plan.warmups.entries()].filter(([, w]) => !w).map(([s]) => s);
  const notes: Note[] = [
    {
      title: "Why RLEV under std-normalized GRPO is the baseline",
      text: "With R = s(x)·c and s(x) constant within a prompt's group, GRPO's (R − mean)/(std + ε) equals (c − mean_c)/(std_c + ε/s(x)): the value cancels up to ε. The grid runs it anyway and compares the two runs step by step (claim above); Dr. GRPO (no std) keeps the value.",
    },
    {
      title: "How to read the intervals",
      text: `Every number is the mean over seeds with a Student-t 95% CI over seeds; each seed is a full RL run from the same warm-up policy (so the intervals do not include warm-up variation), evaluated greedily on the same ${evalItems} held-out questions. Comparisons between cells are paired by seed (same batches and sampling seeds).`,
    },
  ];
  if (missingWarmups.length)
    notes.push({
      kind: "warning",
      title: "Missing warm-ups",
      text: `No matching warm-up for size(s) ${missingWarmups.join(", ")}: their cells count as not run. \`rlev experiment\` builds them.`,
    });
  const data: ReportData = {
    title: "RLEV experiment grid: estimators × rewards × model sizes, ablations, α sweep, weak values",
    subtitle: `${current.size} of ${plan.jobs.length} runs finished (${cells.length} cells × ${seeds.length} seeds); synthetic value-labeled exams, evaluated on ${evalItems} held-out questions`,
    run: {
      command: opts.command ?? `rlev experiment --config ${opts.configFile}`,
      seeds,
      machine: machineLine(),
      wallTimeS: wall,
      date: allRecords
        .map((r) => r.finishedAt)
        .sort()
        .at(-1),
      configHash: sha256(canonicalJson(exp)).slice(0, 12),
      version: gitVersion() ?? undefined,
      extra: {
        "wall time": "the sum of the runs' own wall times (runs overlap when --jobs > 1)",
        results: opts.results ?? exp.results,
      },
    },
    arms: cells.map((c) => ({ id: c.id, label: cellLabel(c, exp, alpha0) })),
    claims,
    results: table,
    curves: trainingCurves(keyArms, evalItems),
    lengthByValue: lengthByValue(keyArms),
    withinDifficulty: withinDifficulty(keyArms),
    eosTrajectories: eosTrajectories(keyArms),
    eosGradient: eosGradient(keyArms),
    ...(breakEven ? { breakEven } : {}),
    ...(sensitivity ? { tables: [sensitivityDataTable(sensitivity)] } : {}),
    notes,
    keyChart: "curve:hAcc",
  };
  const report = opts.output ?? exp.report;
  await writeJsonAtomic(report.replace(/\.html$/, "") + ".data.json", data);
  const html = await writeReport(report, data);
  const markdown = formatMarkdownTable(table);
  const mdPath = opts.markdown ?? join(report, "..", "table.md");
  await writeFileAtomic(mdPath, markdown);
  await writeFileAtomic(join(mdPath, "..", "claims.md"), claimsMarkdown(claims));
  if (breakEven) await writeFileAtomic(join(mdPath, "..", "break-even.md"), formatMarkdownTable(breakEven));
  if (sensitivity)
    await writeFileAtomic(join(mdPath, "..", "sensitivity.md"), formatMarkdownTable(sensitivity));
  let pngWritten = false;
  const png = opts.png === undefined ? exp.png : opts.png;
  if (png) {
    await renderChartPng(html, png);
    pngWritten = true;
  }
  return {
    report,
    markdown: mdPath,
    table: formatTextTable(table),
    claims,
    finished: current.size,
    total: plan.jobs.length,
    pngWritten,
  };
}
