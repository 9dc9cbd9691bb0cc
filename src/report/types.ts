import type { NumberFormat } from "./text.js";

export type { NumberFormat } from "./text.js";

/**
 * Everything one HTML report shows. One shape serves the 10-minute demo (3 arms, 1–2 seeds), the
 * experiment grid (many cells × ≥5 seeds) and an endpoint evaluation (one model, no training curves):
 * every section is optional and a section without data is left out of the page, not shown empty.
 *
 * Conventions: proportions (Acc, H-Acc, shares, probabilities) are fractions in [0, 1] and are shown
 * as percentages where a `format: "percent"` says so; intervals are 95% confidence intervals over
 * seeds (`seedEstimate` computes Student-t intervals); `n` counts seeds unless a field says otherwise.
 * Arms are declared once in `arms` and referred to by `id` everywhere else, which keeps every arm's
 * colour the same in every chart.
 */
export interface ReportData {
  /** Page title, e.g. "RLEV demo: RLOO on synthetic exams". */
  title: string;
  /** One line under the title: what was run and on what. */
  subtitle?: string;
  /** How the numbers were produced (shown in the header). */
  run?: RunInfo;
  /** The compared arms (reward variants, models, grid cells), in display order. */
  arms?: Arm[];
  /** The paper's claims, each marked reproduced or not on this task (shown first: it is the verdict). */
  claims?: Claim[];
  /** Rows = arms or grid cells, columns = metrics (mean, 95% CI over seeds, n). */
  results?: ResultsTable;
  /** Training curves, one chart per metric (e.g. H-Acc, Acc, response length over steps). */
  curves?: CurveChart[];
  /** Mean response length per value bucket, per arm. */
  lengthByValue?: BucketChart;
  /** Length and worked-answer share of high- vs low-value items of equal difficulty. */
  withinDifficulty?: WithinDifficulty;
  /** p(end-of-sequence) by position for the highest- and lowest-value prompts, per arm. */
  eosTrajectories?: EosTrajectories;
  /** Magnitude of the policy gradient on the end-of-sequence logit, per value bucket and arm. */
  eosGradient?: BucketChart;
  /** A table of computed break-even points beside learned behaviour (experiment grid). */
  breakEven?: ResultsTable;
  /** Further tables under their own headings: numbers or text per cell (e.g. scores by subject, items to read). */
  tables?: DataTable[];
  /** Free-text remarks (e.g. why RLEV under std-normalized GRPO equals the baseline). */
  notes?: Note[];
  /**
   * The chart exported as PNG for the README: `"curve:<metric>"`, `"lengthByValue"`,
   * `"eosTrajectories"` or `"eosGradient"`. Default: the length-by-value chart, else the first chart.
   */
  keyChart?: string;
}

export interface RunInfo {
  /** The exact command line that produced the data. */
  command?: string;
  seeds?: number[];
  /** e.g. "2 × AMD EPYC 7B13 vCPU, 8 GB, Node 20.19, jax-js wasm". */
  machine?: string;
  /** Wall-clock time of the whole run, in seconds. */
  wallTimeS?: number;
  /** When the run finished, ISO 8601 (the report itself never reads the clock). */
  date?: string;
  /** Hash of the resolved configuration, to match a report to its run. */
  configHash?: string;
  /** rlev version or git commit. */
  version?: string;
  /** Further label → value pairs, shown in order. */
  extra?: Record<string, string>;
}

export interface Arm {
  /** Referred to by every per-arm section. */
  id: string;
  /** Display name, e.g. "RLEV (α = 10)". */
  label: string;
  /** One line shown under the results table. */
  description?: string;
  /** A fixed colour (#rrggbb); default: the palette slot of the arm's position. */
  color?: string;
}

/** A statistic over seeds: the mean and, with n ≥ 2, its 95% confidence interval [lo, hi]. */
export interface Estimate {
  mean: number;
  lo?: number;
  hi?: number;
  /** Number of seeds (or of whatever was averaged; say so in a caption). */
  n?: number;
}

export interface MetricColumn {
  /** Key into `ResultRow.cells`. */
  key: string;
  label: string;
  format?: NumberFormat;
  digits?: number;
  /** Appended to the column header, e.g. "tokens". */
  unit?: string;
  /** When set, the best mean of the column is shown in bold. */
  better?: "higher" | "lower";
  /** Tooltip on the column header. */
  description?: string;
}

export interface ResultRow {
  /** The arm this row reports (its label is shown); rows of a grid may use `label` instead. */
  arm?: string;
  /** Shown when `arm` is absent (or to override the arm's label). */
  label?: string;
  /** Rows with the same group are shown under one group heading (e.g. the estimator). */
  group?: string;
  /** metric key → estimate; null or missing shows a dash. */
  cells: Record<string, Estimate | null>;
  /** A short remark shown after the label (e.g. "paper, no seeds"). */
  note?: string;
}

export interface ResultsTable {
  caption?: string;
  columns: MetricColumn[];
  rows: ResultRow[];
  /**
   * What the brackets show, printed as "In brackets: …", e.g. "the Student-t 95% CI over 5 seeds"
   * (default: the 95% CI over seeds).
   */
  ciMethod?: string;
}

/** One point of a curve: x (e.g. the step) and the mean over seeds with an optional 95% CI. */
export interface SeriesPoint {
  x: number;
  /** null leaves a gap. */
  mean: number | null;
  lo?: number;
  hi?: number;
  n?: number;
}

export interface ArmSeries {
  arm: string;
  points: SeriesPoint[];
}

export interface CurveChart {
  /** Identifies the chart (`keyChart: "curve:<metric>"`), e.g. "hAcc". */
  metric: string;
  /** Chart title and y-axis label, e.g. "H-Acc". */
  label: string;
  format?: NumberFormat;
  digits?: number;
  /** Default "step". */
  xLabel?: string;
  yMin?: number;
  yMax?: number;
  series: ArmSeries[];
  caption?: string;
}

export interface ValueBucket {
  /** e.g. "0.00–0.02". */
  label: string;
  /** Value range of the bucket (shown in tooltips and the caption). */
  lo?: number;
  hi?: number;
  /** Number of items in the bucket. */
  items?: number;
}

/** Values of a measure per value bucket, per arm: a grouped bar chart with 95% CI error bars. */
export interface BucketChart {
  buckets: ValueBucket[];
  /** y-axis label, e.g. "mean response length (tokens)". */
  yLabel: string;
  /** Default "value bucket". */
  xLabel?: string;
  title?: string;
  format?: NumberFormat;
  digits?: number;
  /** One value per bucket, in bucket order; null leaves the bar out. */
  series: Array<{ arm: string; values: Array<Estimate | null> }>;
  caption?: string;
}

export interface EosTrajectories {
  /** Default "highest-value prompts" (e.g. "200 highest-value prompts"). */
  highLabel?: string;
  /** Default "lowest-value prompts". */
  lowLabel?: string;
  /** Default "position (tokens)". */
  xLabel?: string;
  /** Fixed top of the p(EOS) axis shared by all panels (default: the largest value shown). */
  yMax?: number;
  /** Per arm: position → p(EOS), mean over seeds (CI optional). */
  series: Array<{ arm: string; high: SeriesPoint[]; low: SeriesPoint[] }>;
  caption?: string;
}

/** Length and worked-answer share of one value group (high or low) within one difficulty. */
export interface ValueGroupStats {
  /** Mean response length (tokens). */
  length: Estimate | null;
  /** Share of responses that show worked steps, in [0, 1]. */
  workedShare: Estimate | null;
  /** Number of items in the group. */
  items?: number;
}

export interface WithinDifficultyRow {
  arm: string;
  /** e.g. "k = 4" or "university". */
  difficulty: string;
  high: ValueGroupStats;
  low: ValueGroupStats;
  /** Paired differences high − low over seeds; without them the table shows the difference of means only. */
  lengthDiff?: Estimate;
  workedShareDiff?: Estimate;
}

export interface WithinDifficulty {
  /** Default "difficulty". */
  difficultyLabel?: string;
  caption?: string;
  rows: WithinDifficultyRow[];
}

export type ClaimStatus =
  | "reproduced"
  | "not reproduced"
  | "inconclusive"
  | "underpowered"
  | "ceiling"
  | "not applicable";

export interface ClaimNumber {
  label: string;
  value: Estimate | number | string;
  format?: NumberFormat;
  digits?: number;
}

export interface Claim {
  id?: string;
  /** The claim in one sentence, e.g. "RLEV raises H-Acc over the correctness reward". */
  claim: string;
  /** What the paper reports, e.g. "RLOO 7B: 56.7 → 58.9 H-Acc". */
  paper?: string;
  status: ClaimStatus;
  /** Why this status, in a sentence or two. */
  evidence: string;
  /** The numbers behind the verdict. */
  numbers?: ClaimNumber[];
}

/** A column of a `DataTable`: numbers are formatted, text is shown as written (long text wraps). */
export interface DataColumn {
  key: string;
  label: string;
  format?: NumberFormat;
  digits?: number;
  /** "text" columns are left-aligned and wrap; default: numbers right-aligned. */
  kind?: "number" | "text";
  description?: string;
}

export interface DataTable {
  /** Section anchor, unique in the page (letters, digits, - and _). */
  id: string;
  /** Section heading. */
  title: string;
  /** One paragraph above the table. */
  lede?: string;
  caption?: string;
  columns: DataColumn[];
  /** column key → cell; null or missing shows a dash. */
  rows: Array<Record<string, string | number | null>>;
}

export interface Note {
  title?: string;
  /** Plain text; blank lines separate paragraphs; `backticks` mark code. */
  text: string;
  kind?: "info" | "warning";
}
