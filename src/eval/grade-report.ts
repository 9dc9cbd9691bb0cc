import type { Metric } from "../metrics/summary.js";
import { writeReport } from "../report/io.js";
import type { DataTable, Estimate, ReportData, ResultRow, RunInfo } from "../report/types.js";
import type { GradedSavedRow, GradeMetrics, PointsRow } from "./grade-metrics.js";

/** The HTML page of `rlev grade`: the metrics, points per exam and group, and the items to read. */
export interface GradeReportInput {
  metrics: GradeMetrics;
  rows: readonly GradedSavedRow[];
  responseOf: (row: GradedSavedRow) => string;
  title: string;
  subtitle?: string;
  run?: RunInfo;
  /** Disagreements shown at most (default 300; all are in metrics.json). */
  maxListed?: number;
}

function est(m: Metric | undefined): Estimate | null {
  if (!m || !Number.isFinite(m.estimate)) return null;
  return Number.isFinite(m.lo) && Number.isFinite(m.hi)
    ? { mean: m.estimate, lo: m.lo, hi: m.hi }
    : { mean: m.estimate };
}

const fmtPoints = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

function pointsTable(
  id: string,
  title: string,
  keyLabel: string,
  rows: readonly PointsRow[],
  lede?: string,
): DataTable {
  const hasGiven = rows.some((r) => r.given);
  return {
    id,
    title,
    ...(lede ? { lede } : {}),
    columns: [
      { key: "key", label: keyLabel, kind: "text" },
      { key: "items", label: "items", format: "integer" },
      { key: "points", label: "points", digits: 1 },
      { key: "earned", label: "earned", digits: 1 },
      { key: "rate", label: "scoring rate", format: "percent", digits: 1 },
      ...(hasGiven
        ? [
            { key: "givenRate", label: "input's own rate", format: "percent" as const, digits: 1 },
            { key: "agree", label: "same score as the input", kind: "text" as const },
          ]
        : []),
      { key: "acc", label: "Acc", format: "percent", digits: 1 },
      { key: "hAcc", label: "H-Acc", format: "percent", digits: 1 },
    ],
    rows: rows.map((r) => ({
      key: r.key,
      items: r.items,
      points: r.points,
      earned: r.earned,
      rate: r.rate,
      ...(hasGiven
        ? {
            givenRate: r.given ? r.given.rate : null,
            agree: r.given ? `${r.given.agree} / ${r.given.responses}` : null,
          }
        : {}),
      acc: r.acc,
      hAcc: r.hAcc,
    })),
  };
}

function tail(text: string, n: number): string {
  const t = text.trim();
  return t.length <= n ? t : `…${t.slice(t.length - n)}`;
}

export function gradeReportData(input: GradeReportInput): ReportData {
  const m = input.metrics;
  const g = m.given;
  const arms = [{ id: "rlev", label: "rlev grade" }];
  if (g) arms.push({ id: "given", label: `input's own verdicts (${g.sources.join(", ")})` });
  const row = (arm: string, s: GradeMetrics["summary"], rate: number): ResultRow => ({
    arm,
    cells: {
      acc: est(s.metrics.acc),
      hAcc: est(s.metrics.hAcc),
      topAcc: est(s.metrics.topAcc),
      bottomAcc: est(s.metrics.bottomAcc),
      rate: Number.isFinite(rate) ? { mean: rate } : null,
    },
  });
  const resultRows = [row("rlev", m.summary, m.points.rate)];
  if (g) resultRows.push(row("given", g.summary, g.points.rate));

  const tables: DataTable[] = [
    {
      id: "exams",
      title: "Points per exam",
      lede: "Points earned on the graded items of each exam, as the exam would count them (partial credit included), beside the exam's official total. An exam with items missing from the data cannot reach its total.",
      columns: [
        { key: "exam", label: "exam", kind: "text" },
        { key: "counted", label: "earned / exam total", kind: "text" },
        { key: "items", label: "items", format: "integer" },
        { key: "points", label: "points graded", digits: 1 },
        { key: "rate", label: "scoring rate", format: "percent", digits: 1 },
        ...(g ? [{ key: "given", label: "earned (input's verdicts)", digits: 1 }] : []),
      ],
      rows: m.byExam.map((e) => ({
        exam: e.key,
        counted: `${fmtPoints(e.earned)} / ${fmtPoints(e.examTotal)}`,
        items: e.items,
        points: e.points,
        rate: e.rate,
        ...(g ? { given: e.given ? e.given.earned : null } : {}),
      })),
    },
  ];
  if (m.bySubject.length > 0) tables.push(pointsTable("subjects", "By subject", "subject", m.bySubject));
  tables.push(pointsTable("types", "By question type", "type", m.byQuestionType));
  if (m.byKeyword.length > 0)
    tables.push(pointsTable("keywords", "By benchmark file (keyword)", "keyword", m.byKeyword));

  if (g && g.disagreements.length > 0) {
    const max = input.maxListed ?? 300;
    const key = (id: string, sample: number) => `${id}\u0000${sample}`;
    const byKey = new Map(input.rows.map((r) => [key(r.id, r.sample), r]));
    const listed = g.disagreements.slice(0, max).map((d) => byKey.get(key(d.id, d.sample))!);
    tables.push({
      id: "disagreements",
      title: "Where the grade differs from the input's verdict",
      lede: `${g.disagreements.length} of ${g.responses} responses score differently under rlev than under the verdicts the input carried (${g.sources.join(", ")}). Read the response: either may be wrong.`,
      caption:
        g.disagreements.length > max
          ? `The first ${max} of ${g.disagreements.length} are shown; metrics.json lists them all.`
          : undefined,
      columns: [
        { key: "id", label: "item", kind: "text" },
        { key: "reference", label: "reference", kind: "text" },
        { key: "pred", label: "rlev: answer", kind: "text" },
        { key: "score", label: "rlev: score", digits: 2 },
        { key: "reason", label: "reason", kind: "text" },
        { key: "givenPred", label: "input: answer", kind: "text" },
        { key: "given", label: "input: score", digits: 2 },
        { key: "response", label: "response (end)", kind: "text" },
      ],
      rows: listed.map((r) => ({
        id: r.sample > 0 ? `${r.id} #${r.sample}` : r.id,
        reference: r.reference,
        pred: r.pred,
        score: r.score,
        reason: r.reason,
        givenPred: r.given?.pred ?? null,
        given: r.given?.score ?? null,
        response: tail(input.responseOf(r), 400),
      })),
    });
  }

  const notes = [
    {
      title: "Verdicts",
      text: `${Object.entries(m.verdicts)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `\`${k}\` ${v}`)
        .join(", ")}.${
        g
          ? ` Agreement with the input's verdicts: ${g.agreement.agree} of ${g.agreement.compared} responses; ${g.blankAgreement.agree} of ${g.blankAgreement.compared} blanks${g.blankAgreement.notCompared > 0 ? ` (${g.blankAgreement.notCompared} blanks not compared: no per-blank verdict)` : ""}.`
          : ""
      }`,
    },
  ];

  return {
    title: input.title,
    ...(input.subtitle ? { subtitle: input.subtitle } : {}),
    ...(input.run ? { run: input.run } : {}),
    arms,
    results: {
      caption: `Acc: share of responses correct; H-Acc: value-weighted accuracy; top/bottom: Acc on the ${Math.round(100 * m.summary.sliceFraction)}% highest/lowest-value items; scoring rate: points earned / points graded.`,
      ciMethod: m.summary.bootstrap
        ? `the percentile-bootstrap 95% CI over items (${m.summary.bootstrap.resamples} resamples)`
        : "no interval (bootstrap off)",
      columns: [
        { key: "acc", label: "Acc", format: "percent", digits: 1 },
        { key: "hAcc", label: "H-Acc", format: "percent", digits: 1 },
        { key: "topAcc", label: "top-value Acc", format: "percent", digits: 1 },
        { key: "bottomAcc", label: "bottom-value Acc", format: "percent", digits: 1 },
        { key: "rate", label: "scoring rate", format: "percent", digits: 1 },
      ],
      rows: resultRows,
    },
    tables,
    notes,
  };
}

export async function writeGradeReport(path: string, input: GradeReportInput): Promise<void> {
  await writeReport(path, gradeReportData(input));
}

/** A short markdown summary of a grade (summary.md): totals, groups beside the input's own verdicts. */
export function gradeSummaryMarkdown(
  m: GradeMetrics,
  header: { command?: string; model: string | null; responses: string },
): string {
  const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : "–");
  const pts = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
  const s = m.summary.metrics;
  const lines: string[] = [
    `# rlev grade${header.model ? `: ${header.model}` : ""}`,
    "",
    ...(header.command ? ["```", header.command, "```", ""] : []),
    `${m.responses} responses to ${m.items} items from \`${header.responses}\`.`,
    "",
    `| | Acc | H-Acc | top-value Acc | bottom-value Acc | points | scoring rate |`,
    `|---|---:|---:|---:|---:|---:|---:|`,
    `| rlev grade | ${pct(s.acc.estimate)} | ${pct(s.hAcc.estimate)} | ${pct(s.topAcc.estimate)} | ${pct(s.bottomAcc.estimate)} | ${pts(m.points.earned)} / ${pts(m.points.total)} | ${pct(m.points.rate)} |`,
  ];
  const g = m.given;
  if (g) {
    const t = g.summary.metrics;
    lines.push(
      `| input's own verdicts (${g.sources.join(", ")}) | ${pct(t.acc.estimate)} | ${pct(t.hAcc.estimate)} | ${pct(t.topAcc.estimate)} | ${pct(t.bottomAcc.estimate)} | ${pts(g.points.earned)} / ${pts(g.points.total)} | ${pct(g.points.rate)} |`,
    );
  }
  const table = (title: string, rows: readonly PointsRow[]) => {
    if (rows.length === 0) return;
    lines.push("", `## ${title}`, "");
    if (g) {
      lines.push(
        "| | items | points | rlev: earned | rlev: rate | input: earned | input: rate | difference | same score | same on full/zero | same blanks |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      );
      for (const r of rows) {
        const x = r.given;
        lines.push(
          `| ${r.key} | ${r.items} | ${pts(r.points)} | ${pts(r.earned)} | ${pct(r.rate)} | ${x ? pts(x.earned) : "–"} | ${x ? pct(x.rate) : "–"} | ${x ? `${((r.rate - x.rate) * 100).toFixed(1)} pt` : "–"} | ${x ? `${x.agree} / ${x.responses}` : "–"} | ${x ? `${x.fullOrZero.agree} / ${x.fullOrZero.compared}` : "–"} | ${x ? `${x.blanks.agree} / ${x.blanks.compared}` : "–"} |`,
        );
      }
    } else {
      lines.push("| | items | points | earned | rate | Acc | H-Acc |", "|---|---:|---:|---:|---:|---:|---:|");
      for (const r of rows)
        lines.push(
          `| ${r.key} | ${r.items} | ${pts(r.points)} | ${pts(r.earned)} | ${pct(r.rate)} | ${pct(r.acc)} | ${pct(r.hAcc)} |`,
        );
    }
  };
  table("By subject", m.bySubject);
  table("By benchmark file", m.byKeyword);
  table("By question type", m.byQuestionType);
  if (g)
    lines.push(
      "",
      `Agreement with the input's verdicts: ${g.agreement.agree} / ${g.agreement.compared} responses, ${g.blankAgreement.agree} / ${g.blankAgreement.compared} blanks${g.blankAgreement.notCompared ? ` (${g.blankAgreement.notCompared} not compared)` : ""}. The ${g.disagreements.length} responses that differ are listed in report.html and metrics.json.`,
    );
  lines.push(
    "",
    `Verdicts: ${Object.entries(m.verdicts)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}.`,
    "",
  );
  return lines.join("\n");
}
