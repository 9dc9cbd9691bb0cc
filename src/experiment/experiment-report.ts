import { join } from "node:path";
import { renderChartPng } from "../report/browser.js";
import { writeReport } from "../report/io.js";
import type { Claim, ClaimNumber, ClaimStatus, Note, ReportData, ResultsTable } from "../report/types.js";
import { generateExams } from "../task/exams.js";
import { writeFileAtomic } from "../util/atomic.js";
import {
  claimNumber,
  claimsMarkdown,
  eosGradientClaim,
  estimateOf,
  gainAcrossEstimators,
  grpoIdentityClaim,
  hAccClaim,
  hAccOf,
  judgeDifference,
  lengthClaims,
  pairedBySeed,
  type RunsByCell,
  valueGainClaim,
} from "./analysis.js";
import { breakEvenByDifficulty, breakEvenTable, type MeasuredArm } from "./break-even.js";
import type { ExperimentConfig } from "./config.js";
import { finishedRecords, type GridPlan, planGrid } from "./experiment.js";
import { type Cell, canonicalJson, cellId, defaultAlpha, expandGrid, sha256 } from "./grid.js";
import { writeJsonAtomic } from "./io.js";
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
import { formatMarkdownTable, formatTextTable } from "./table.js";

export const ESTIMATOR_LABELS: Record<string, string> = {
  reinforce_pp: "REINFORCE++",
  reinforce_pp_baseline: "REINFORCE++-baseline",
  rloo: "RLOO",
  grpo: "GRPO",
  drgrpo: "Dr. GRPO",
  grpo_batch_std: "GRPO (batch std)",
  grpo_value: "GRPO (value after normalization)",
};

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

const PAPER_GAIN: Record<string, { text: string; effect: number | null }> = {
  rloo: { text: "RLOO 7B: 56.7 → 58.9 H-Acc", effect: 0.022 },
  reinforce_pp: { text: "REINFORCE++ 7B: 55.0 → 57.0 H-Acc", effect: 0.02 },
  grpo: { text: "GRPO 7B: 56.0 → 57.7 H-Acc", effect: 0.017 },
  drgrpo: { text: "not reported", effect: null },
};

function combine(statuses: ClaimStatus[]): ClaimStatus {
  if (statuses.length === 0 || statuses.includes("inconclusive")) return "inconclusive";
  if (statuses.every((s) => s === "reproduced")) return "reproduced";
  return "not reproduced";
}

/**
 * The exam-valued RLEV cells of `estimator` at the default α in size `main` (the grid's own block
 * and each variant block), each paired with the correctness cell of the same block.
 */
function rlevCorrectnessPairs(
  cells: readonly Cell[],
  main: string,
  estimator: string,
  alpha: number,
): { rlev: string; correctness: string }[] {
  const inBlock = (c: Cell, reward: string) =>
    c.size === main && c.estimator === estimator && c.reward === reward;
  return cells
    .filter((c) => inBlock(c, "rlev") && c.values === "exam" && c.alpha === alpha)
    .map((c) => ({
      rlev: c.id,
      correctness: cells.find((d) => inBlock(d, "correctness") && d.variant?.tag === c.variant?.tag)?.id,
    }))
    .filter((p): p is { rlev: string; correctness: string } => p.correctness !== undefined);
}

/** Every claim of the paper the grid can judge, with the rule of analysis.ts. */
export function gridClaims(
  exp: ExperimentConfig,
  cells: readonly Cell[],
  runs: RunsByCell,
  opts: { lengthCostOf?: (cell: string) => number | undefined } = {},
): Claim[] {
  const sizes = Object.keys(exp.sizes);
  const main = sizes[0];
  const have = new Set(cells.map((c) => c.id));
  const id = (size: string, est: string, reward: string) => `${size}/${est}/${reward}`;
  const claims: Claim[] = [];
  for (const est of ["rloo", "reinforce_pp", "grpo", "drgrpo"]) {
    const a = id(main, est, "rlev");
    const b = id(main, est, "correctness");
    if (!have.has(a) || !have.has(b)) continue;
    const label = ESTIMATOR_LABELS[est];
    claims.push(
      hAccClaim(runs, {
        id: `hacc-${est}`,
        claim: `RLEV raises H-Acc over correctness-only under ${label}`,
        paper: PAPER_GAIN[est].text,
        paperEffect: PAPER_GAIN[est].effect,
        a,
        b,
        labelA: "RLEV",
        labelB: "correctness",
      }),
    );
  }
  // The identity holds for R = s(x)·c; a length cost breaks it (the value survives as λ/s(x)), so
  // prefer a GRPO pair whose reward has none (a variant block), as the grid's config provides.
  const grpoPairs = rlevCorrectnessPairs(cells, main, "grpo", defaultAlpha(exp));
  const identityPair =
    grpoPairs.find(
      (p) => (opts.lengthCostOf?.(p.rlev) ?? 0) === 0 && (opts.lengthCostOf?.(p.correctness) ?? 0) === 0,
    ) ?? grpoPairs[0];
  if (identityPair) {
    const c = grpoIdentityClaim(runs, identityPair.rlev, identityPair.correctness);
    const cost = opts.lengthCostOf?.(identityPair.rlev) ?? 0;
    c.evidence = `${identityPair.rlev} vs ${identityPair.correctness}${cost > 0 ? ` (with a length cost of ${cost} per token, which the value survives as λ/s(x): the identity is not expected)` : " (no length cost)"}: ${c.evidence}`;
    claims.push(c);
  }

  // Across sizes: per size, the mean over estimators (GRPO left out: it cancels the value) per seed.
  if (sizes.length > 1) {
    const numbers: ClaimNumber[] = [];
    const statuses: ClaimStatus[] = [];
    for (const size of sizes) {
      const pairs = ["rloo", "reinforce_pp", "drgrpo"]
        .map((est) => ({ rlev: id(size, est, "rlev"), correctness: id(size, est, "correctness") }))
        .filter((p) => have.has(p.rlev) && have.has(p.correctness));
      if (!pairs.length) continue;
      const diffs = gainAcrossEstimators(runs, pairs);
      const j = judgeDifference(diffs, { direction: "higher", paperEffect: 0.02 });
      statuses.push(j.status);
      numbers.push(
        claimNumber(
          `Δ H-Acc, ${exp.sizes[size].label ?? size} (mean over ${pairs.length} estimators)`,
          j.estimate,
          "percent",
        ),
      );
    }
    claims.push({
      id: "scales",
      claim: "The gain holds across model sizes",
      paper: "7B and 32B (32B average: 59.5 → 62.3 H-Acc)",
      status: combine(statuses),
      evidence:
        "Per size and seed, the mean over RLOO, REINFORCE++ and Dr. GRPO of RLEV − correctness H-Acc (GRPO is left out: it cancels the value); reproduced only when every size is.",
      numbers,
    });
  }

  const rloo = (reward: string) => id(main, "rloo", reward);
  const vsCorrectness = (reward: string): ClaimNumber => {
    const p = pairedBySeed(runs, rloo(reward), rloo("correctness"), hAccOf);
    return claimNumber(
      `Δ H-Acc ${reward} − correctness`,
      p.diffs.length ? estimateOf(p.diffs) : null,
      "percent",
    );
  };
  const ablation = (reward: string, claim: string, paper: string, effect: number) => {
    if (!have.has(rloo(reward)) || !have.has(rloo("rlev"))) return;
    const c = hAccClaim(runs, {
      id: `ablation-${reward}`,
      claim,
      paper,
      paperEffect: effect,
      a: rloo("rlev"),
      b: rloo(reward),
      labelA: "RLEV",
      labelB: reward,
    });
    if (have.has(rloo("correctness"))) c.numbers = [...(c.numbers ?? []), vsCorrectness(reward)];
    claims.push(c);
  };
  ablation(
    "uniform",
    "The gain is not a scale effect: RLEV beats uniform scaling by the mean of s(x) (matched scale)",
    "RLOO 7B: uniform 55.1 vs RLEV 58.9 H-Acc (correctness 56.7)",
    0.038,
  );
  ablation(
    "shuffled",
    "The values must be the right ones: RLEV beats the same values shuffled across questions",
    "RLOO 7B: shuffled 57.4 vs RLEV 58.9 H-Acc",
    0.015,
  );
  ablation(
    "multiplicative",
    "The clipped form beats the purely multiplicative 1 + α·v",
    "RLOO 7B: multiplicative 57.6 vs clipped 58.9 H-Acc",
    0.013,
  );
  if (have.has(rloo("rlev-weak")) && have.has(rloo("correctness")))
    claims.push(
      hAccClaim(runs, {
        id: "weak-values",
        claim: "Weak, difficulty-based values still raise H-Acc over correctness-only",
        paper: "weak labels help, less than exam values",
        paperEffect: null,
        a: rloo("rlev-weak"),
        b: rloo("correctness"),
        labelA: "RLEV (weak values)",
        labelB: "correctness",
      }),
    );
  if (have.has(rloo("rlev")) && have.has(rloo("correctness")) && have.has(rloo("uniform")))
    claims.push(
      ...lengthClaims(runs, {
        rlev: rloo("rlev"),
        correctness: rloo("correctness"),
        uniform: rloo("uniform"),
      }),
    );
  if (have.has(rloo("rlev")) && have.has(rloo("uniform")))
    claims.push(
      valueGainClaim(runs, {
        rlev: rloo("rlev"),
        uniform: rloo("uniform"),
        correctness: rloo("correctness"),
      }),
    );
  // The mechanism is cleanest without a length cost (s(x) then scales the whole advantage).
  const mechanism = rlevCorrectnessPairs(cells, main, "rloo", defaultAlpha(exp))
    // The grid's own setting, and a variant without a length cost (the clean mechanism) if any.
    .filter((p) => !p.rlev.includes("+") || (opts.lengthCostOf?.(p.rlev) ?? 0) === 0)
    .sort((a, b) => (opts.lengthCostOf?.(a.rlev) ?? 0) - (opts.lengthCostOf?.(b.rlev) ?? 0));
  for (const p of mechanism)
    claims.push(eosGradientClaim(runs, p.rlev, p.correctness, opts.lengthCostOf?.(p.rlev) ?? 0));
  return claims;
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
  const plan = await planGrid({ configFile: opts.configFile, overrides: opts.overrides });
  const { exp, cells } = plan;
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
    subtitle: `${current.size} of ${plan.jobs.length} runs finished (${cells.length} cells × ${exp.seeds.length} seeds); synthetic value-labeled exams, evaluated on ${evalItems} held-out questions`,
    run: {
      command: opts.command ?? `rlev experiment --config ${opts.configFile}`,
      seeds: exp.seeds,
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
