import type { Claim, ClaimNumber } from "../../report/types.js";

/** A claim number as text: "12.3 [10.1, 14.5] (n=5)" (percent points for shares). */
export function numberText(n: ClaimNumber): string {
  if (typeof n.value !== "object") return String(n.value);
  const e = n.value;
  const f = (x: number) => (n.format === "percent" ? `${(100 * x).toFixed(1)}` : x.toFixed(n.digits ?? 2));
  return `${f(e.mean)}${e.lo !== undefined && e.hi !== undefined ? ` [${f(e.lo)}, ${f(e.hi)}]` : ""}${
    e.n !== undefined ? ` (n=${e.n})` : ""
  }`;
}

export function claimLine(c: Claim): string {
  const first = c.numbers?.[0];
  const value = first && typeof first.value === "object" ? ` ${first.label} ${numberText(first)}` : "";
  return `${c.status.toUpperCase().padEnd(15)} ${c.claim}.${value}`;
}

/** The claims as a Markdown table (verdict, claim, paper, the numbers), for the README. */
export function claimsMarkdown(claims: readonly Claim[]): string {
  const esc = (t: string) => t.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const rows = claims.map(
    (c) =>
      `| **${c.status}** | ${esc(c.claim)} | ${esc(c.paper ?? "")} | ${esc(
        (c.numbers ?? []).map((n) => `${n.label}: ${numberText(n)}`).join("; "),
      )} |`,
  );
  return `| verdict | claim | paper | measured (95% CI over seeds) |\n|---|---|---|---|\n${rows.join("\n")}\n`;
}
