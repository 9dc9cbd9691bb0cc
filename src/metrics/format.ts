import type { Interval } from "./intervals.js";
import type { Comparison, RunSummary, SeedsSummary } from "./summary.js";

/** How a metric is shown in a table: its label and its scale (fractions print as percent). */
function display(name: string, sliceFraction: number): { label: string; scale: number; digits: number } {
  const pct = `${Math.round(sliceFraction * 100)}%`;
  switch (name) {
    case "acc":
      return { label: "Acc (%)", scale: 100, digits: 1 };
    case "hAcc":
      return { label: "H-Acc (%)", scale: 100, digits: 1 };
    case "meanLength":
      return { label: "mean length (tokens)", scale: 1, digits: 1 };
    case "valueDensity":
      return { label: "value density (H-Acc %/token)", scale: 1, digits: 3 };
    case "topAcc":
      return { label: `Acc, top ${pct} by value (%)`, scale: 100, digits: 1 };
    case "bottomAcc":
      return { label: `Acc, bottom ${pct} by value (%)`, scale: 100, digits: 1 };
    case "meanAtN":
      return { label: "mean@n (%)", scale: 100, digits: 1 };
    default:
      return name.startsWith("pass@")
        ? { label: `${name} (%)`, scale: 100, digits: 1 }
        : { label: name, scale: 1, digits: 3 };
  }
}

function num(x: number, scale: number, digits: number): string {
  return Number.isFinite(x) ? (x * scale).toFixed(digits) : "–";
}

function ci(iv: Interval, scale: number, digits: number): string {
  return Number.isFinite(iv.lo) && Number.isFinite(iv.hi)
    ? `[${num(iv.lo, scale, digits)}, ${num(iv.hi, scale, digits)}]`
    : "";
}

/** Left-aligned first column, right-aligned others, two spaces apart. */
export function alignTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The aligned-table report of one run. */
export function formatRun(summary: RunSummary, title: string): string {
  const out: string[] = [];
  const spi =
    summary.samplesPerItem.min === summary.samplesPerItem.max
      ? `${summary.samplesPerItem.min} per prompt`
      : `${summary.samplesPerItem.min}–${summary.samplesPerItem.max} per prompt`;
  out.push(`${title}: ${summary.responses} responses over ${summary.items} prompts (${spi})`);
  const b = summary.bootstrap;
  const ciHead = b ? `${Math.round(b.level * 100)}% CI` : "";
  const rows: string[][] = [["metric", "value", ciHead]];
  for (const [name, iv] of Object.entries(summary.metrics)) {
    const d = display(name, summary.sliceFraction);
    const label = name.startsWith("pass@")
      ? `${d.label} [${summary.passAtKItems[name] ?? 0} prompts]`
      : d.label;
    rows.push([label, num(iv.estimate, d.scale, d.digits), ci(iv, d.scale, d.digits)]);
  }
  out.push("", alignTable(rows));
  if (b) out.push(`(percentile bootstrap over prompts: ${b.resamples} resamples, seed ${b.seed})`);

  const groupRows = (
    head: string[],
    list: {
      key: string[];
      items: number;
      responses: number;
      acc: number;
      hAcc: number;
      meanLength: number;
    }[],
  ) =>
    alignTable([
      [...head, "prompts", "responses", "Acc (%)", "H-Acc (%)", "length"],
      ...list.map((r) => [
        ...r.key,
        String(r.items),
        String(r.responses),
        num(r.acc, 100, 1),
        num(r.hAcc, 100, 1),
        num(r.meanLength, 1, 1),
      ]),
    ]);
  if (summary.byDifficulty.length > 1 || summary.byDifficulty[0]?.difficulty !== null) {
    out.push("", "by difficulty");
    out.push(
      groupRows(
        ["difficulty"],
        summary.byDifficulty.map((r) => ({
          ...r,
          key: [r.difficulty === null ? "(none)" : String(r.difficulty)],
        })),
      ),
    );
  }
  out.push("", "by value bucket (equal-count by rank; ties share a bucket)");
  out.push(
    groupRows(
      ["bucket", "values"],
      summary.lengthByValue.map((r) => ({
        ...r,
        key: [String(r.bucket), r.lo === r.hi ? fmtValue(r.lo) : `${fmtValue(r.lo)}–${fmtValue(r.hi)}`],
      })),
    ),
  );
  return out.join("\n");
}

function fmtValue(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

/** Per-seed estimates and the CI of their mean. */
export function formatSeeds(summary: SeedsSummary, labels: readonly string[], sliceFraction: number): string {
  const first = Object.values(summary.metrics)[0];
  const method = first?.method === "bootstrap" ? "bootstrap" : "t";
  const level = first ? Math.round(first.level * 100) : 95;
  const rows: string[][] = [["metric", ...labels, "mean", "sd", `${level}% CI (${method})`]];
  for (const [name, m] of Object.entries(summary.metrics)) {
    const d = display(name, sliceFraction);
    rows.push([
      d.label,
      ...m.perSeed.map((x) => num(x, d.scale, d.digits)),
      num(m.estimate, d.scale, d.digits),
      num(m.sd, d.scale, d.digits),
      ci(m, d.scale, d.digits),
    ]);
  }
  return `across ${summary.seeds} seeds\n\n${alignTable(rows)}`;
}

/** Paired differences A − B. */
export function formatComparison(cmp: Comparison, sliceFraction: number): string {
  const first = Object.values(cmp.metrics)[0];
  const level = first ? Math.round(first.level * 100) : 95;
  const how =
    cmp.pairing === "items" ? `paired bootstrap over ${cmp.pairs} prompts` : `paired over ${cmp.pairs} seeds`;
  const rows: string[][] = [["difference (input − baseline)", "value", `${level}% CI`]];
  for (const [name, iv] of Object.entries(cmp.metrics)) {
    const d = display(name, sliceFraction);
    rows.push([
      d.label.replace("(%)", "(points)"),
      num(iv.estimate, d.scale, d.digits),
      ci(iv, d.scale, d.digits),
    ]);
  }
  return `${how}\n\n${alignTable(rows)}`;
}
