import { aggregateSeeds, seedEstimate } from "../../src/report/stats.js";
import type { ReportData, SeriesPoint } from "../../src/report/types.js";
import { Rng } from "../../src/util/rng.js";

/**
 * Realistic report data, generated deterministically: the shape of the 10-minute demo (three
 * arms, three seeds) with plausible numbers. Used by the tests and to look at the rendered page.
 */

const ARMS = [
  { id: "correctness", label: "Correctness", description: "r = 1[correct]" },
  {
    id: "uniform",
    label: "Uniform scaling",
    description: "r = s̄ · 1[correct], s̄ = mean of s(x): the matched-scale control",
  },
  { id: "rlev", label: "RLEV (α = 10)", description: "r = (1 + min(α·v, 1)) · 1[correct]" },
] as const;
type ArmId = (typeof ARMS)[number]["id"];
const SEEDS = [0, 1, 2];
const STEPS = Array.from({ length: 31 }, (_, i) => i * 5);

/** Per-arm asymptotes: RLEV gains a little H-Acc and loses length on low-value prompts. */
const TARGET: Record<ArmId, { acc: number; hAcc: number; len: number }> = {
  correctness: { acc: 0.78, hAcc: 0.74, len: 14.2 },
  uniform: { acc: 0.79, hAcc: 0.75, len: 13.6 },
  rlev: { acc: 0.8, hAcc: 0.81, len: 10.1 },
};

function curve(rng: Rng, from: number, to: number, noise: number): Array<{ x: number; y: number }> {
  return STEPS.map((x) => ({ x, y: from + (to - from) * (1 - Math.exp(-x / 35)) + noise * rng.normal() }));
}

function seedsOf(rng: Rng, mean: number, sd: number): number[] {
  return SEEDS.map(() => mean + sd * rng.normal());
}

function eosCurve(rng: Rng, centre: number, spread: number): SeriesPoint[] {
  return Array.from({ length: 41 }, (_, x) => {
    const logistic = 1 / (1 + Math.exp(-(x - centre) / spread));
    const p = Math.min(
      1,
      Math.max(0, 0.9 * logistic * Math.exp(-Math.max(0, x - centre - 6) / 8) + 0.004 * rng.next()),
    );
    const half = 0.02 + 0.05 * p;
    return { x, mean: p, lo: Math.max(0, p - half), hi: Math.min(1, p + half), n: SEEDS.length };
  });
}

export function sampleReportData(): ReportData {
  const rng = new Rng(20251023);
  const buckets = [
    { label: "≤ 0.02", lo: 0, hi: 0.02, items: 412 },
    { label: "0.02–0.04", lo: 0.02, hi: 0.04, items: 268 },
    { label: "0.04–0.06", lo: 0.04, hi: 0.06, items: 171 },
    { label: "0.06–0.10", lo: 0.06, hi: 0.1, items: 102 },
    { label: "> 0.10", lo: 0.1, hi: 1, items: 47 },
  ];
  const lengthSlope: Record<ArmId, number[]> = {
    correctness: [14.1, 14.3, 14.0, 14.4, 14.6],
    uniform: [13.5, 13.8, 13.4, 13.9, 14.0],
    rlev: [7.8, 9.6, 12.1, 15.2, 17.4],
  };
  const gradScale: Record<ArmId, number[]> = {
    correctness: [0.21, 0.22, 0.21, 0.22, 0.21],
    uniform: [0.31, 0.31, 0.32, 0.31, 0.31],
    rlev: [0.24, 0.33, 0.41, 0.52, 0.63],
  };

  const resultsRows = ARMS.map((a) => {
    const t = TARGET[a.id];
    const acc = seedEstimate(seedsOf(rng, t.acc, 0.012));
    const hAcc = seedEstimate(seedsOf(rng, t.hAcc, 0.018));
    const len = seedEstimate(seedsOf(rng, t.len, 0.6));
    const density = seedEstimate(seedsOf(rng, (t.hAcc * 100) / t.len, 0.25));
    const top = seedEstimate(seedsOf(rng, t.hAcc + (a.id === "rlev" ? 0.05 : 0.0), 0.03));
    const bottom = seedEstimate(seedsOf(rng, t.acc - (a.id === "rlev" ? 0.03 : 0.0), 0.03));
    return { arm: a.id, cells: { acc, hAcc, len, density, top20: top, bottom20: bottom } };
  });

  return {
    title: "RLEV demo: RLOO on synthetic value-labelled exams",
    subtitle:
      "Three reward arms from one warm-up checkpoint, 150 RL steps each, evaluated greedily on 1,000 held-out questions.",
    run: {
      command: "rlev demo --seeds 0,1,2 --steps 150 --out runs/demo-2025-10-23",
      seeds: SEEDS,
      machine: "2 vCPU (shared), 8 GB RAM, Node 20.19.1, jax-js 0.1.25 (wasm)",
      wallTimeS: 583.4,
      date: "2025-10-23T14:05:11Z",
      configHash: "sha256:9f2c4e1ab07d",
      version: "rlev 0.1.0 (9cadfd3)",
      extra: { Estimator: "RLOO, 16 prompts × 8 samples", "Eval items": "1,000" },
    },
    arms: ARMS.map((a) => ({ ...a })),
    claims: [
      {
        id: "hacc",
        claim: "RLEV raises human-aligned accuracy (H-Acc) over the correctness-only reward.",
        paper: "RLOO 7B: 56.7 → 58.9 H-Acc; REINFORCE++ 55.0 → 57.0.",
        status: "reproduced",
        evidence: "H-Acc rises by 7 points and the 95% intervals over three seeds do not overlap.",
        numbers: [
          { label: "H-Acc correctness", value: resultsRows[0].cells.hAcc, format: "percent" },
          { label: "H-Acc RLEV", value: resultsRows[2].cells.hAcc, format: "percent" },
        ],
      },
      {
        id: "scale",
        claim: "The gain comes from the values, not from the larger mean reward (uniform-scaling ablation).",
        paper: "Uniform scaling 55.1 vs RLEV 58.9 H-Acc (RLOO 7B).",
        status: "reproduced",
        evidence: "Uniform scaling by s̄ = 1.47 stays within one point of correctness; RLEV does not.",
        numbers: [{ label: "H-Acc uniform", value: resultsRows[1].cells.hAcc, format: "percent" }],
      },
      {
        id: "length",
        claim: "RLEV shortens responses and raises value density.",
        paper: "Length 186.2 → 86.4 tokens; density 0.30 → 0.68.",
        status: "reproduced",
        evidence: "Mean length falls from 14.2 to 10.1 tokens, almost all of it on low-value prompts.",
        numbers: [
          { label: "Length correctness", value: resultsRows[0].cells.len, digits: 1 },
          { label: "Length RLEV", value: resultsRows[2].cells.len, digits: 1 },
        ],
      },
      {
        id: "eos",
        claim:
          "Value-sensitive stopping: earlier end-of-sequence on low-value prompts, later on high-value ones.",
        paper: "Observed on EOS trajectories of the 200 highest- and lowest-value prompts.",
        status: "inconclusive",
        evidence:
          "The low-value curve peaks 3 tokens earlier under RLEV, but the worked-answer share within equal difficulty differs by less than its interval.",
      },
      {
        id: "grpo",
        claim: "RLEV helps under GRPO too.",
        paper: "GRPO 7B: 56.0 → 57.7 H-Acc.",
        status: "not applicable",
        evidence: "Std-normalised GRPO cancels s(x) exactly within a group; this run used RLOO.",
      },
      {
        id: "shuffle",
        claim: "Shuffled values do worse than true values.",
        paper: "Shuffled 57.4 vs true 58.9 H-Acc.",
        status: "not reproduced",
        evidence: "Not run in the demo; the experiment grid has the shuffled arm.",
        numbers: [
          { label: "gap needed", value: 0.015, format: "percent" },
          { label: "arms run", value: "3 of 4" },
        ],
      },
    ],
    results: {
      caption: "Greedy evaluation on 1,000 held-out items after 150 steps.",
      ciMethod: "the Student-t 95% CI over 3 seeds",
      columns: [
        {
          key: "acc",
          label: "Acc",
          format: "percent",
          better: "higher",
          description: "share of correct responses",
        },
        {
          key: "hAcc",
          label: "H-Acc",
          format: "percent",
          better: "higher",
          description: "Σ_correct v / Σ v",
        },
        { key: "len", label: "Length", unit: "tokens", digits: 1 },
        { key: "density", label: "Density", digits: 2, better: "higher", description: "H-Acc % / length" },
        { key: "top20", label: "Top 20%", format: "percent" },
        { key: "bottom20", label: "Bottom 20%", format: "percent" },
      ],
      rows: resultsRows,
    },
    curves: (
      [
        ["hAcc", "H-Acc", "percent", 0.42, (a: ArmId) => TARGET[a].hAcc, 0.012],
        ["acc", "Acc", "percent", 0.5, (a: ArmId) => TARGET[a].acc, 0.012],
        ["length", "Response length (tokens)", "number", 13.5, (a: ArmId) => TARGET[a].len, 0.35],
      ] as const
    ).map(([metric, label, format, start, end, noise]) => ({
      metric,
      label,
      format,
      series: ARMS.map((a) => ({
        arm: a.id,
        points: aggregateSeeds(
          SEEDS.map((s) => curve(rng.fork(s + 17 * metric.length), start, end(a.id), noise)),
        ),
      })),
    })),
    lengthByValue: {
      buckets,
      yLabel: "mean length (tokens)",
      series: ARMS.map((a) => ({
        arm: a.id,
        values: lengthSlope[a.id].map((m) => seedEstimate(seedsOf(rng, m, 0.5))),
      })),
    },
    withinDifficulty: {
      difficultyLabel: "terms k",
      rows: ARMS.filter((a) => a.id !== "uniform").flatMap((a) =>
        ["k = 3", "k = 5", "k = 7"].map((difficulty, i) => {
          const baseLen = 8 + 4 * i;
          const shift = a.id === "rlev" ? 2.5 : 0.1;
          return {
            arm: a.id,
            difficulty,
            high: {
              length: seedEstimate(seedsOf(rng, baseLen + shift, 0.6)),
              workedShare: seedEstimate(seedsOf(rng, 0.6 + (a.id === "rlev" ? 0.12 : 0), 0.04)),
              items: 60 - 10 * i,
            },
            low: {
              length: seedEstimate(seedsOf(rng, baseLen - shift, 0.6)),
              workedShare: seedEstimate(seedsOf(rng, 0.6 - (a.id === "rlev" ? 0.1 : 0), 0.04)),
              items: 64 - 10 * i,
            },
          };
        }),
      ),
    },
    eosTrajectories: {
      highLabel: "200 highest-value prompts",
      lowLabel: "200 lowest-value prompts",
      series: ARMS.map((a) => ({
        arm: a.id,
        high: eosCurve(rng, a.id === "rlev" ? 17 : 14, 1.4),
        low: eosCurve(rng, a.id === "rlev" ? 8 : 13.5, 1.4),
      })),
    },
    eosGradient: {
      buckets,
      yLabel: "|∂J/∂z_eos| (mean)",
      digits: 3,
      series: ARMS.map((a) => ({
        arm: a.id,
        values: gradScale[a.id].map((m) => seedEstimate(seedsOf(rng, m, 0.015))),
      })),
    },
    notes: [
      {
        title: "RLEV under GRPO is the baseline",
        kind: "warning",
        text: "With R_i = s(x)·c_i and s constant within a group, GRPO's `(R − mean)/std` cancels s(x) exactly, so RLEV under standard GRPO trains exactly like the correctness reward.\n\nUse `drgrpo`, `grpo_batch_std` or `grpo_value` to keep the value in the advantage.",
      },
      {
        title: "Statistical power",
        text: "At 50% accuracy the standard error on 1,000 questions is 1.6 points; three seeds per arm detect an H-Acc gap of about 4 points.",
      },
    ],
  };
}

/** An endpoint evaluation: one model, no training, no per-bucket charts. */
export function endpointReportData(): ReportData {
  return {
    title: "Endpoint evaluation: qwen2.5-7b-instruct on exam-test",
    run: { command: "rlev eval --endpoint http://127.0.0.1:8000/v1 --data exam-test.jsonl", seeds: [0] },
    arms: [{ id: "model", label: "qwen2.5-7b-instruct" }],
    results: {
      columns: [
        { key: "acc", label: "Acc", format: "percent" },
        { key: "hAcc", label: "H-Acc", format: "percent" },
      ],
      rows: [{ arm: "model", cells: { acc: { mean: 0.638, n: 1 }, hAcc: { mean: 0.55, n: 1 } } }],
    },
  };
}

/** The experiment grid: estimator × reward cells, five seeds, grouped rows. */
export function gridReportData(): ReportData {
  const rng = new Rng(7);
  const estimators = ["RLOO", "REINFORCE++", "Dr. GRPO"];
  const rewards = ["correctness", "uniform", "rlev", "shuffled"];
  const rows = estimators.flatMap((est) =>
    rewards.map((rw) => ({
      group: est,
      label: rw,
      cells: {
        hAcc: seedEstimate([0, 1, 2, 3, 4].map(() => 0.7 + (rw === "rlev" ? 0.06 : 0) + 0.02 * rng.normal())),
        len: seedEstimate([0, 1, 2, 3, 4].map(() => 13 - (rw === "rlev" ? 3 : 0) + 0.5 * rng.normal())),
      },
    })),
  );
  return {
    title: "RLEV experiment grid",
    subtitle: "3 estimators × 4 rewards × 5 seeds",
    results: {
      columns: [
        { key: "hAcc", label: "H-Acc", format: "percent", better: "higher" },
        { key: "len", label: "Length", digits: 1, better: "lower" },
      ],
      rows,
    },
  };
}
