import { z } from "zod";
import { InputError } from "../util/errors.js";
import type { ReportData } from "./types.js";

/**
 * The zod schema of `ReportData` (types.ts documents every field). Objects are strict so that a typo
 * in a hand-written or generated JSON file is an error, not a silently missing section; references
 * between sections (arm ids, metric keys, bucket counts, the key chart) are checked too.
 */

const estimate = z
  .object({
    mean: z.number(),
    lo: z.number().optional(),
    hi: z.number().optional(),
    n: z.number().int().nonnegative().optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if ((e.lo === undefined) !== (e.hi === undefined))
      ctx.addIssue({
        code: "custom",
        path: [e.lo === undefined ? "lo" : "hi"],
        message: "give both lo and hi, or neither",
      });
    else if (e.lo !== undefined && e.hi !== undefined && e.lo > e.hi)
      ctx.addIssue({ code: "custom", path: ["lo"], message: `lo (${e.lo}) is above hi (${e.hi})` });
  });

const numberFormat = z.enum(["percent", "number", "integer"]);
const digits = z.number().int().min(0).max(10);

const seriesPoint = z
  .object({
    x: z.number(),
    mean: z.number().nullable(),
    lo: z.number().optional(),
    hi: z.number().optional(),
    n: z.number().int().nonnegative().optional(),
  })
  .strict();

const runInfo = z
  .object({
    command: z.string().optional(),
    seeds: z.array(z.number().int()).optional(),
    machine: z.string().optional(),
    wallTimeS: z.number().nonnegative().optional(),
    date: z.string().optional(),
    configHash: z.string().optional(),
    version: z.string().optional(),
    extra: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const arm = z
  .object({
    id: z.string().min(1),
    label: z.string().min(1),
    description: z.string().optional(),
    color: z
      .string()
      .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, "must be a hex colour like #1f77b4")
      .optional(),
  })
  .strict();

const resultsTable = z
  .object({
    caption: z.string().optional(),
    columns: z
      .array(
        z
          .object({
            key: z.string().min(1),
            label: z.string().min(1),
            format: numberFormat.optional(),
            digits: digits.optional(),
            unit: z.string().optional(),
            better: z.enum(["higher", "lower"]).optional(),
            description: z.string().optional(),
          })
          .strict(),
      )
      .min(1),
    rows: z.array(
      z
        .object({
          arm: z.string().optional(),
          label: z.string().optional(),
          group: z.string().optional(),
          cells: z.record(z.string(), estimate.nullable()),
          note: z.string().optional(),
        })
        .strict(),
    ),
    ciMethod: z.string().optional(),
  })
  .strict();

const curveChart = z
  .object({
    metric: z.string().min(1),
    label: z.string().min(1),
    format: numberFormat.optional(),
    digits: digits.optional(),
    xLabel: z.string().optional(),
    yMin: z.number().optional(),
    yMax: z.number().optional(),
    series: z.array(z.object({ arm: z.string(), points: z.array(seriesPoint) }).strict()),
    caption: z.string().optional(),
  })
  .strict();

const bucketChart = z
  .object({
    buckets: z
      .array(
        z
          .object({
            label: z.string(),
            lo: z.number().optional(),
            hi: z.number().optional(),
            items: z.number().int().nonnegative().optional(),
          })
          .strict(),
      )
      .min(1),
    yLabel: z.string(),
    xLabel: z.string().optional(),
    title: z.string().optional(),
    format: numberFormat.optional(),
    digits: digits.optional(),
    series: z.array(z.object({ arm: z.string(), values: z.array(estimate.nullable()) }).strict()),
    caption: z.string().optional(),
  })
  .strict();

const eosTrajectories = z
  .object({
    highLabel: z.string().optional(),
    lowLabel: z.string().optional(),
    xLabel: z.string().optional(),
    yMax: z.number().positive().optional(),
    series: z.array(
      z.object({ arm: z.string(), high: z.array(seriesPoint), low: z.array(seriesPoint) }).strict(),
    ),
    caption: z.string().optional(),
  })
  .strict();

const valueGroupStats = z
  .object({
    length: estimate.nullable(),
    workedShare: estimate.nullable(),
    items: z.number().int().nonnegative().optional(),
  })
  .strict();

const withinDifficulty = z
  .object({
    difficultyLabel: z.string().optional(),
    caption: z.string().optional(),
    rows: z.array(
      z
        .object({
          arm: z.string(),
          difficulty: z.string(),
          high: valueGroupStats,
          low: valueGroupStats,
          lengthDiff: estimate.optional(),
          workedShareDiff: estimate.optional(),
        })
        .strict(),
    ),
  })
  .strict();

const claim = z
  .object({
    id: z.string().optional(),
    claim: z.string().min(1),
    paper: z.string().optional(),
    status: z.enum([
      "reproduced",
      "not reproduced",
      "inconclusive",
      "underpowered",
      "ceiling",
      "not applicable",
    ]),
    evidence: z.string(),
    numbers: z
      .array(
        z
          .object({
            label: z.string(),
            value: z.union([estimate, z.number(), z.string()]),
            format: numberFormat.optional(),
            digits: digits.optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

const note = z
  .object({ title: z.string().optional(), text: z.string(), kind: z.enum(["info", "warning"]).optional() })
  .strict();

/** Ids of the charts a report can have, in page order (for `keyChart`). */
export function chartIds(data: ReportData): string[] {
  const ids: string[] = [];
  for (const c of data.curves ?? []) ids.push(`curve:${c.metric}`);
  if (data.lengthByValue) ids.push("lengthByValue");
  if (data.eosTrajectories?.series.length) ids.push("eosTrajectories");
  if (data.eosGradient) ids.push("eosGradient");
  return ids;
}

type Path = Array<string | number>;

/** Cross-references that the field types alone cannot express. */
function checkReferences(d: ReportData, issue: (path: Path, message: string) => void): void {
  const armIds = new Set<string>();
  (d.arms ?? []).forEach((a, i) => {
    if (armIds.has(a.id)) issue(["arms", i, "id"], `duplicate arm id "${a.id}"`);
    armIds.add(a.id);
  });
  const tableIds = new Set<string>();
  (d.tables ?? []).forEach((t, i) => {
    if (tableIds.has(t.id)) issue(["tables", i, "id"], `duplicate table id "${t.id}"`);
    tableIds.add(t.id);
  });
  const known = d.arms ? `; declared arms: ${[...armIds].join(", ") || "none"}` : '; declare it in "arms"';
  const armRef = (id: string, path: Path) => {
    if (!armIds.has(id)) issue(path, `unknown arm "${id}"${known}`);
  };

  if (d.results) {
    const keys = new Set<string>();
    d.results.columns.forEach((c, i) => {
      if (keys.has(c.key)) issue(["results", "columns", i, "key"], `duplicate column key "${c.key}"`);
      keys.add(c.key);
    });
    d.results.rows.forEach((r, i) => {
      if (r.arm !== undefined) armRef(r.arm, ["results", "rows", i, "arm"]);
      else if (!r.label) issue(["results", "rows", i], 'a row needs "arm" or "label"');
      for (const k of Object.keys(r.cells))
        if (!keys.has(k))
          issue(
            ["results", "rows", i, "cells", k],
            `no column with key "${k}"; columns: ${[...keys].join(", ")}`,
          );
    });
  }
  const metrics = new Set<string>();
  (d.curves ?? []).forEach((c, i) => {
    if (metrics.has(c.metric)) issue(["curves", i, "metric"], `duplicate curve metric "${c.metric}"`);
    metrics.add(c.metric);
    c.series.forEach((s, j) => {
      armRef(s.arm, ["curves", i, "series", j, "arm"]);
    });
  });
  for (const section of ["lengthByValue", "eosGradient"] as const) {
    const chart = d[section];
    if (!chart) continue;
    chart.series.forEach((s, j) => {
      armRef(s.arm, [section, "series", j, "arm"]);
      if (s.values.length !== chart.buckets.length)
        issue(
          [section, "series", j, "values"],
          `has ${s.values.length} values for ${chart.buckets.length} buckets (one per bucket, null for none)`,
        );
    });
  }
  (d.eosTrajectories?.series ?? []).forEach((s, j) => {
    armRef(s.arm, ["eosTrajectories", "series", j, "arm"]);
  });
  (d.withinDifficulty?.rows ?? []).forEach((r, j) => {
    armRef(r.arm, ["withinDifficulty", "rows", j, "arm"]);
  });
  if (d.keyChart !== undefined) {
    const ids = chartIds(d);
    if (!ids.includes(d.keyChart))
      issue(["keyChart"], `no chart "${d.keyChart}" in this report; charts: ${ids.join(", ") || "none"}`);
  }
}

const dataTable = z
  .object({
    id: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "letters, digits, - and _ (starting with a letter)"),
    title: z.string().min(1),
    lede: z.string().optional(),
    caption: z.string().optional(),
    columns: z
      .array(
        z
          .object({
            key: z.string().min(1),
            label: z.string(),
            format: numberFormat.optional(),
            digits: digits.optional(),
            kind: z.enum(["number", "text"]).optional(),
            description: z.string().optional(),
          })
          .strict(),
      )
      .min(1),
    rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
  })
  .strict();

export const ReportDataSchema: z.ZodType<ReportData> = z
  .object({
    title: z.string().min(1),
    subtitle: z.string().optional(),
    run: runInfo.optional(),
    arms: z.array(arm).optional(),
    claims: z.array(claim).optional(),
    results: resultsTable.optional(),
    curves: z.array(curveChart).optional(),
    lengthByValue: bucketChart.optional(),
    withinDifficulty: withinDifficulty.optional(),
    eosTrajectories: eosTrajectories.optional(),
    eosGradient: bucketChart.optional(),
    breakEven: resultsTable.optional(),
    tables: z.array(dataTable).optional(),
    notes: z.array(note).optional(),
    keyChart: z.string().optional(),
  })
  .strict()
  .superRefine((d, ctx) =>
    checkReferences(d, (path, message) => ctx.addIssue({ code: "custom", path, message })),
  );

/**
 * Validates report data (parsed JSON or an object built in code). Throws `InputError` naming
 * `source` and the first offending field, e.g. `report.json field "results.rows.2.cells.hAcc.lo"`.
 */
export function parseReportData(input: unknown, source = "report data"): ReportData {
  const parsed = ReportDataSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError({ file: source, field: issue.path.map(String).join(".") }, issue.message);
  }
  return parsed.data;
}
