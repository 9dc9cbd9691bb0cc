import {
  estimateCell,
  formatDuration,
  formatEstimate,
  formatSeeds,
  paragraphs,
  type RenderContext,
  richText,
} from "./html-context.js";
import { escapeXml, formatNumber } from "./text.js";
import type {
  Claim,
  ClaimStatus,
  DataTable,
  Estimate,
  MetricColumn,
  Note,
  ResultsTable,
  RunInfo,
} from "./types.js";

/** The report's text and table sections: run facts, claims, results tables, data tables, notes. */

export function renderRunInfo(run: RunInfo | undefined): string {
  if (!run) return "";
  const items: string[] = [];
  const item = (label: string, valueHtml: string, wide = false) =>
    items.push(`<div${wide ? ' class="wide"' : ""}><dt>${escapeXml(label)}</dt><dd>${valueHtml}</dd></div>`);
  if (run.seeds?.length) item("Seeds", escapeXml(formatSeeds(run.seeds)));
  if (run.wallTimeS !== undefined) item("Wall time", escapeXml(formatDuration(run.wallTimeS)));
  if (run.date) item("Date", escapeXml(run.date));
  if (run.configHash) item("Config hash", `<span class="mono">${escapeXml(run.configHash)}</span>`);
  if (run.version) item("Version", `<span class="mono">${escapeXml(run.version)}</span>`);
  for (const [k, v] of Object.entries(run.extra ?? {})) item(k, escapeXml(v));
  if (run.machine) item("Machine", escapeXml(run.machine), true);
  if (run.command) item("Command", `<code>${escapeXml(run.command)}</code>`, true);
  return items.length ? `<dl class="runinfo">${items.join("")}</dl>` : "";
}

export const STATUS_TEXT: Record<ClaimStatus, string> = {
  reproduced: "✓ Reproduced",
  "not reproduced": "✗ Not reproduced",
  inconclusive: "? Inconclusive",
  underpowered: "? Underpowered",
  ceiling: "= At the ceiling",
  "not applicable": "– Not applicable",
};
export const STATUS_ORDER: ClaimStatus[] = [
  "reproduced",
  "not reproduced",
  "inconclusive",
  "underpowered",
  "ceiling",
  "not applicable",
];
export const statusClass = (s: ClaimStatus) => `st-${s.replace(/ /g, "-")}`;

export function renderClaims(claims: Claim[] | undefined): string | null {
  if (!claims?.length) return null;
  const tally = STATUS_ORDER.map((s) => ({ s, n: claims.filter((c) => c.status === s).length }))
    .filter((t) => t.n > 0)
    .map((t) => `<span class="badge ${statusClass(t.s)}">${t.n} ${escapeXml(t.s)}</span>`)
    .join("");
  const items = claims.map((c) => {
    const numbers = c.numbers?.length
      ? `<ul class="numbers">${c.numbers
          .map((n) => {
            let v: string;
            if (typeof n.value === "string") v = escapeXml(n.value);
            else if (typeof n.value === "number") v = escapeXml(formatNumber(n.value, n.format, n.digits));
            else {
              const { mean, ci } = formatEstimate(n.value, n.format, n.digits);
              const nn = n.value.n !== undefined ? ` (n=${n.value.n})` : "";
              v = escapeXml(`${mean}${ci ? ` ${ci}` : ""}${nn}`);
            }
            return `<li><span class="k">${escapeXml(n.label)}:</span> <span class="v">${v}</span></li>`;
          })
          .join("")}</ul>`
      : "";
    const id = c.id ? ` id="claim-${escapeXml(c.id.replace(/[^A-Za-z0-9_-]+/g, "-"))}"` : "";
    return (
      `<li class="claim ${statusClass(c.status)}"${id} data-status="${escapeXml(c.status)}">` +
      `<div class="claim-head"><span class="badge ${statusClass(c.status)}">${escapeXml(STATUS_TEXT[c.status])}</span><h3>${richText(c.claim)}</h3></div>` +
      (c.paper ? `<p class="paper"><b>Paper:</b> ${richText(c.paper)}</p>` : "") +
      `<p class="evidence">${richText(c.evidence)}</p>${numbers}</li>`
    );
  });
  return `<p class="lede">Each claim of the paper, tested on this task. Statuses are the verdict of this run, with the numbers behind them.</p><div class="tally">${tally}</div><ol class="claims">${items.join("")}</ol>`;
}

/** Index of the row with the best mean in a column, or -1 when no direction is given or fewer than 2 values. */
export function bestRow(table: ResultsTable, col: MetricColumn): number {
  if (!col.better) return -1;
  let best = -1;
  let count = 0;
  table.rows.forEach((r, i) => {
    const e = r.cells[col.key];
    if (!e) return;
    count++;
    const cur = best >= 0 ? (table.rows[best].cells[col.key] as Estimate).mean : Number.NaN;
    if (best < 0 || (col.better === "higher" ? e.mean > cur : e.mean < cur)) best = i;
  });
  return count >= 2 ? best : -1;
}

export function renderResults(table: ResultsTable | undefined, ctx: RenderContext): string | null {
  if (!table || table.rows.length === 0) return null;
  const best = table.columns.map((c) => bestRow(table, c));
  const head =
    `<tr><th class="label" scope="col">${table.rows.some((r) => r.arm) ? "Arm" : "Run"}</th>` +
    table.columns
      .map((c) => {
        const title = c.description ? ` title="${escapeXml(c.description)}"` : "";
        const unit = c.unit ? ` <span class="cell-n">(${escapeXml(c.unit)})</span>` : "";
        return `<th scope="col"${title}>${escapeXml(c.label)}${unit}</th>`;
      })
      .join("") +
    `<th scope="col" title="number of seeds">n</th></tr>`;

  const rows: string[] = [];
  let group: string | undefined;
  table.rows.forEach((r, i) => {
    if (r.group !== undefined && r.group !== group)
      rows.push(
        `<tr class="group"><th colspan="${table.columns.length + 2}" scope="rowgroup">${escapeXml(r.group)}</th></tr>`,
      );
    group = r.group;
    // One n for the row when every cell agrees; otherwise each cell says its own.
    const ns = new Set(
      table.columns.map((c) => r.cells[c.key]?.n).filter((n): n is number => n !== undefined),
    );
    const rowN = ns.size === 1 ? String([...ns][0]) : ns.size === 0 ? "—" : "varies";
    const label = r.label ?? (r.arm ? ctx.label(r.arm) : "");
    const swatch = r.arm ? ctx.swatch(r.arm) : "";
    const note = r.note ? `<span class="rownote">${richText(r.note)}</span>` : "";
    const cells = table.columns
      .map((c, k) => {
        const e = r.cells[c.key];
        const extra = ns.size > 1 && e?.n !== undefined ? `<span class="cell-n">n=${e.n}</span>` : "";
        return `<td${best[k] === i ? ' class="best"' : ""}>${estimateCell(e, c.format, c.digits, extra)}</td>`;
      })
      .join("");
    rows.push(
      `<tr><th class="label" scope="row">${swatch}${escapeXml(label)}${note}</th>${cells}<td>${rowN}</td></tr>`,
    );
  });

  const captionParts = [
    table.caption,
    table.ciMethod
      ? `In brackets: ${table.ciMethod}.`
      : "Mean over seeds with the 95% confidence interval in brackets; n = seeds.",
    best.some((b) => b >= 0) ? "Bold: best mean in its column (intervals may still overlap)." : undefined,
  ].filter(Boolean) as string[];
  const armsUsed = new Set(table.rows.map((r) => r.arm).filter(Boolean) as string[]);
  const described = [...armsUsed].map((id) => ({ id, arm: ctx.arm(id) })).filter((a) => a.arm?.description);
  const armsList = described.length
    ? `<div class="arms">${described.map((a) => `<div>${ctx.swatch(a.id)}<b>${escapeXml(a.arm!.label)}</b> — ${richText(a.arm!.description!)}</div>`).join("")}</div>`
    : "";
  return `<div class="table-wrap"><table class="results"><caption>${captionParts.map(richText).join(" ")}</caption><thead>${head}</thead><tbody>${rows.join("")}</tbody></table></div>${armsList}`;
}

export function renderDataTable(t: DataTable): string | null {
  if (t.rows.length === 0) return null;
  const isText = t.columns.map((c) => c.kind === "text");
  const head = t.columns
    .map((c, k) => {
      const title = c.description ? ` title="${escapeXml(c.description)}"` : "";
      return `<th scope="col"${isText[k] ? ' class="label"' : ""}${title}>${escapeXml(c.label)}</th>`;
    })
    .join("");
  const body = t.rows
    .map(
      (r) =>
        `<tr>${t.columns
          .map((c, k) => {
            const v = r[c.key];
            if (v === null || v === undefined) return `<td>${estimateCell(null)}</td>`;
            if (typeof v === "number")
              return `<td>${Number.isFinite(v) ? escapeXml(formatNumber(v, c.format, c.digits)) : "—"}</td>`;
            return isText[k] ? `<td class="text">${escapeXml(v)}</td>` : `<td>${escapeXml(v)}</td>`;
          })
          .join("")}</tr>`,
    )
    .join("");
  const lede = t.lede ? `<p class="lede">${richText(t.lede)}</p>` : "";
  const caption = t.caption ? `<caption>${richText(t.caption)}</caption>` : "";
  return `${lede}<div class="table-wrap"><table class="data">${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

export function renderNotes(notes: Note[] | undefined): string | null {
  if (!notes?.length) return null;
  return notes
    .map(
      (n) =>
        `<div class="note${n.kind === "warning" ? " warning" : ""}">${n.title ? `<h3>${richText(n.title)}</h3>` : ""}${paragraphs(n.text)}</div>`,
    )
    .join("");
}
