/**
 * Copies the experiment's tables into docs/results.md, between the `<!-- results:NAME -->` markers:
 * run it after `rlev experiment --report`, which writes results/experiment/{table,claims,break-even}.md
 * (and, for the decisive block, `rlev experiment --config configs/decisive.json --report`, which writes
 * results/decisive/{claims,sensitivity}.md: copied into the optional `decisive-*` markers).
 * Usage: npx tsx scripts/readme-results.ts [docs/results.md] [results/experiment] [results/decisive]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const readme = process.argv[2] ?? "docs/results.md";
const dir = process.argv[3] ?? "results/experiment";
const decisiveDir = process.argv[4] ?? "results/decisive";

type Row = Record<string, string>;

/** A Markdown table's rows as header → cell (escaped pipes kept inside cells). */
function readTable(file: string, from = dir): Row[] {
  const lines = readFileSync(join(from, file), "utf8")
    .split("\n")
    .filter((l) => l.startsWith("|"));
  const split = (l: string) =>
    l
      .trim()
      .replace(/^\||\|$/g, "")
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
  const head = split(lines[0]);
  return lines.slice(2).map((l) => Object.fromEntries(split(l).map((c, i) => [head[i], c])));
}

const tableLines = (cols: string[], rows: string[][]) => [
  `| ${cols.join(" | ")} |`,
  `|---|${"---:|".repeat(cols.length - 1)}`,
  ...rows.map((r) => `| ${r.join(" | ")} |`),
];

/** The results table, finished cells only, with short group names; the α-sweep repeat of the main RLEV cell left out. */
function mainTable(from = dir): string {
  const cols = [
    "Acc %",
    "H-Acc %",
    "Length (tokens)",
    "Density",
    "Top 20% %",
    "Bottom 20% %",
    "Worked %",
    "seeds",
  ];
  const seen = new Set<string>();
  const rows: string[][] = [];
  for (const r of readTable("table.md", from)) {
    if (r.seeds === "0" || !r.seeds) continue;
    if (r.group.startsWith("α sweep") && r.arm === "RLOO · RLEV α = 10") continue;
    const group = r.group
      .replace(/^Estimators × rewards × sizes: /, "")
      .replace(/^No length cost.*?: /, "λ = 0: ")
      .replace(/^A higher price per token \(λ = 0\.14\).*/, "λ = 0.14")
      .replace(/^(Ablations|α sweep|Weak \(difficulty-based\) values) \((.*)\)$/, "$2")
      .replace(/^Section-valued exams, settled warm-up.*$/, "");
    const label = group ? `${group} · ${r.arm}` : r.arm;
    if (seen.has(label)) continue;
    seen.add(label);
    rows.push([label, ...cols.map((c) => r[c])]);
  }
  return tableLines(["cell", ...cols], rows).join("\n");
}

/** The claims with their first two numbers (claims.md has them all). */
function claims(from = dir): string {
  const rows = readTable("claims.md", from).map((r) => [
    r.verdict,
    r.claim,
    r["measured (95% CI over seeds)"].split("; ").slice(0, 2).join("; "),
  ]);
  return [
    "| verdict | claim | measured (95% CI over seeds) |",
    "|---|---|---|",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** The break-even table, one sub-table per length cost. */
function breakEven(): string {
  const keep = [
    "s*(k)",
    "median s(x)",
    "best: worked, correctness %",
    "best: worked, uniform s̄ %",
    "best: worked, RLEV %",
    "value-decisive items %",
    "H-Acc at best, correctness %",
    "H-Acc at best, uniform s̄ %",
    "H-Acc at best, RLEV %",
    "learned: worked, correctness %",
    "learned: worked, uniform s̄ %",
    "learned: worked, RLEV %",
  ];
  const short = [
    "s*(k)",
    "median s",
    "best worked: corr. %",
    "uniform %",
    "RLEV %",
    "value-decisive %",
    "H-Acc at best: corr. %",
    "uniform %",
    "RLEV %",
    "learned worked: corr. %",
    "uniform %",
    "RLEV %",
  ];
  const out: string[] = [];
  let group: string | undefined;
  let rows: string[][] = [];
  const flush = () => {
    if (group !== undefined) out.push(`**${group}**`, "", ...tableLines(["k", ...short], rows), "");
  };
  for (const r of readTable("break-even.md")) {
    if (r.group !== group) {
      flush();
      group = r.group;
      rows = [];
    }
    rows.push([r.arm, ...keep.map((c) => r[c])]);
  }
  flush();
  return out.join("\n").trim();
}

/** The decisive block's value-sensitivity table (RLEV and the within-difficulty controls, k = 4–7). */
function decisiveSensitivity(): string {
  const cols = [
    "greedy worked, low value %",
    "greedy worked, high value %",
    "sampled worked, low value %",
    "sampled worked, high value %",
    "sampled slope per +0.1 value %",
  ];
  const rows = readTable("sensitivity.md", decisiveDir)
    .filter((r) => /k = [4-7]$/.test(r.arm) && /RLEV|by difficulty|within difficulty/.test(r.group))
    .map((r) => [
      `${r.group.replace(/^base \(2 × 128\) · /, "")} · ${r.arm}`,
      ...cols.map((c) => r[c]),
      r.seeds,
    ]);
  return tableLines(["arm · difficulty", ...cols.map((c) => c.replace(/ %$/, " %")), "seeds"], rows).join(
    "\n",
  );
}

let text = readFileSync(readme, "utf8");
const blocks: Array<[string, () => string, boolean]> = [
  ["main", () => mainTable(), true],
  ["decisive-main", () => mainTable(decisiveDir), false],
  ["claims", () => claims(), true],
  ["break-even", breakEven, true],
  ["decisive-claims", () => claims(decisiveDir), false],
  ["decisive-sensitivity", decisiveSensitivity, false],
];
for (const [name, block, required] of blocks) {
  const start = `<!-- results:${name} -->`;
  const end = `<!-- /results:${name} -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) {
    if (required) throw new Error(`${readme}: markers ${start} … ${end} not found`);
    continue;
  }
  text = `${text.slice(0, a + start.length)}\n${block()}\n${text.slice(b)}`;
}
writeFileSync(readme, text);
console.log(`${readme}: results blocks rewritten from ${dir}`);
