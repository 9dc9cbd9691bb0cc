import type { Estimate, ResultsTable } from "../report/types.js";

/** Plain-text and Markdown renderings of a results table (terminal output, README). */

function cellText(
  e: Estimate | null | undefined,
  format: string | undefined,
  digits: number | undefined,
): string {
  if (!e) return "-";
  const f = (x: number) => (format === "percent" ? (100 * x).toFixed(digits ?? 1) : x.toFixed(digits ?? 2));
  const ci = e.lo !== undefined && e.hi !== undefined ? ` [${f(e.lo)}, ${f(e.hi)}]` : "";
  return `${f(e.mean)}${ci}`;
}

function header(c: ResultsTable["columns"][number]): string {
  return `${c.label}${c.format === "percent" ? " %" : c.unit ? ` (${c.unit})` : ""}`;
}

function seedsOf(row: ResultsTable["rows"][number]): string {
  const n = Object.values(row.cells).find((e) => e?.n !== undefined)?.n;
  return n === undefined ? "0" : String(n);
}

/** Aligned columns for a terminal: one line per row, group headings, CIs in brackets. */
export function formatTextTable(table: ResultsTable): string {
  const head = ["", ...table.columns.map(header), "seeds"];
  const lines: string[][] = [];
  const groups: Array<string | undefined> = [];
  for (const row of table.rows) {
    groups.push(row.group);
    lines.push([
      row.label ?? row.arm ?? "",
      ...table.columns.map((c) => cellText(row.cells[c.key], c.format, c.digits)),
      seedsOf(row),
    ]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cols: string[]) =>
    cols
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  const out = [fmt(head)];
  let last: string | undefined;
  lines.forEach((l, i) => {
    if (groups[i] !== undefined && groups[i] !== last) out.push(`${groups[i]}:`);
    last = groups[i];
    out.push(fmt(l));
  });
  return `${out.join("\n")}\n`;
}

const escapeMd = (s: string) => s.replace(/\|/g, "\\|");

/** A GitHub-flavoured Markdown table (group as the first column when rows have groups). */
export function formatMarkdownTable(table: ResultsTable): string {
  const grouped = table.rows.some((r) => r.group !== undefined);
  const head = [...(grouped ? ["group"] : []), "arm", ...table.columns.map(header), "seeds"];
  const out = [
    `| ${head.map(escapeMd).join(" | ")} |`,
    `|${head.map((_, i) => (i < (grouped ? 2 : 1) ? "---" : "---:")).join("|")}|`,
  ];
  for (const row of table.rows)
    out.push(
      `| ${[
        ...(grouped ? [row.group ?? ""] : []),
        row.label ?? row.arm ?? "",
        ...table.columns.map((c) => cellText(row.cells[c.key], c.format, c.digits)),
        seedsOf(row),
      ]
        .map(escapeMd)
        .join(" | ")} |`,
    );
  return `${out.join("\n")}\n`;
}
