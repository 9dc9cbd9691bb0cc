import { describe, expect, it } from "vitest";
import { renderReport } from "../../src/report/html.js";
import { chartIds, parseReportData } from "../../src/report/schema.js";
import { aggregateSeeds, pairedEstimate, seedEstimate } from "../../src/report/stats.js";
import type { ReportData } from "../../src/report/types.js";
import { InputError } from "../../src/util/errors.js";
import { endpointReportData, gridReportData, sampleReportData } from "./sample-data.js";
import { checkWellFormedXml } from "./xml.js";

const sectionIds = (html: string) => [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
const svgs = (html: string) => [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);

/** A small report whose printed numbers are known in advance. */
function tiny(): ReportData {
  return {
    title: "Tiny <report> & co",
    arms: [
      { id: "base", label: "Correctness" },
      { id: "rlev", label: "RLEV", description: "value-weighted reward" },
    ],
    results: {
      columns: [
        { key: "hAcc", label: "H-Acc", format: "percent", better: "higher" },
        { key: "len", label: "Length", digits: 1, better: "lower" },
      ],
      rows: [
        {
          arm: "base",
          cells: { hAcc: { mean: 0.56, lo: 0.541, hi: 0.579, n: 5 }, len: { mean: 186.2, n: 5 } },
        },
        {
          arm: "rlev",
          cells: {
            hAcc: { mean: 0.589, lo: 0.57, hi: 0.608, n: 5 },
            len: { mean: 86.4, lo: 80.04, hi: 92.76, n: 5 },
          },
        },
      ],
    },
  };
}

describe("renderReport", () => {
  it("prints the table with means, 95% CIs, n and the best mean in bold", () => {
    const html = renderReport(tiny());
    // 0.56 → 56.0%, [0.541, 0.579] → [54.1%, 57.9%]; 86.4 with [80.04, 92.76] → [80.0, 92.8].
    expect(html).toContain('<span class="mean">56.0%</span><span class="ci">[54.1%, 57.9%]</span>');
    expect(html).toContain('<span class="mean">86.4</span><span class="ci">[80.0, 92.8]</span>');
    // No interval given: the mean alone.
    expect(html).toContain('<td><span class="mean">186.2</span></td>');
    expect(html).toMatch(/<td class="best"><span class="mean">58\.9%<\/span>/);
    expect(html).toMatch(/<td class="best"><span class="mean">86\.4<\/span>/);
    expect(html).toMatch(/RLEV<\/th><td class="best">[\s\S]*?<td>5<\/td><\/tr>/);
    expect(html).toContain("value-weighted reward");
  });

  it("leaves out sections without data", () => {
    expect(sectionIds(renderReport(tiny()))).toEqual(["results"]);
    expect(sectionIds(renderReport(endpointReportData()))).toEqual(["results"]);
    expect(sectionIds(renderReport(sampleReportData()))).toEqual([
      "claims",
      "results",
      "curves",
      "length-by-value",
      "within-difficulty",
      "eos-trajectories",
      "eos-gradient",
      "notes",
    ]);
    // A curve section whose series are all empty is no section either.
    const empty = {
      ...tiny(),
      curves: [{ metric: "acc", label: "Acc", series: [{ arm: "base", points: [] }] }],
    };
    expect(sectionIds(renderReport(empty))).toEqual(["results"]);
  });

  it("is self-contained: no scripts, no external URLs, a CSP that forbids fetches", () => {
    const html = renderReport(sampleReportData());
    // Booleans, not toMatch: a failure would print the whole page.
    expect(/<script/i.test(html)).toBe(false);
    // url(#id) is the in-document clip path; anything else could fetch.
    expect(/@import|url\((?!#)/i.test(html)).toBe(false);
    for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) expect(m[1].startsWith("#")).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain("prefers-color-scheme:dark");
  });

  it("emits well-formed charts with unique ids and marks one key chart", () => {
    const html = renderReport(sampleReportData());
    const charts = svgs(html);
    // 3 curves + length by value + 3 EOS panels + EOS gradient.
    expect(charts).toHaveLength(8);
    for (const svg of charts) checkWellFormedXml(svg);
    const ids = charts.map((s) => /id="([^"]+)"/.exec(s)![1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(html.match(/data-key-chart/g)).toHaveLength(1);
    expect(html).toMatch(/<figure class="wide" data-chart="lengthByValue" data-key-chart>/);
  });

  it("honours keyChart and rejects one that does not exist", () => {
    const data = { ...sampleReportData(), keyChart: "curve:hAcc" };
    expect(renderReport(data)).toMatch(/data-chart="curve:hAcc" data-key-chart/);
    expect(() => renderReport({ ...data, keyChart: "curve:nope" })).toThrow(
      /field "keyChart": no chart "curve:nope"/,
    );
  });

  it("shows claim verdicts as text, not colour alone, with a tally", () => {
    const html = renderReport(sampleReportData());
    expect(html).toContain("✓ Reproduced");
    expect(html).toContain("✗ Not reproduced");
    expect(html).toContain("? Inconclusive");
    expect(html).toContain("– Not applicable");
    expect(html).toContain('<span class="badge st-reproduced">3 reproduced</span>');
  });

  it("escapes user text everywhere and renders backticks as code", () => {
    const data: ReportData = {
      ...tiny(),
      subtitle: "<img src=x onerror=alert(1)>",
      notes: [{ title: "a <b>", text: "use `grpo_value` & friends\n\nsecond <p>" }],
    };
    const html = renderReport(data);
    expect(html).toContain("<title>Tiny &lt;report&gt; &amp; co</title>");
    expect(html).not.toContain("<img");
    expect(html).toContain("<p>use <code>grpo_value</code> &amp; friends</p><p>second &lt;p&gt;</p>");
  });

  it("groups grid rows and marks per-cell n when seeds differ", () => {
    const grid = gridReportData();
    const html = renderReport(grid);
    expect(html.match(/<tr class="group">/g)).toHaveLength(3);
    expect(html).toContain(">Dr. GRPO</th>");
    grid.results!.rows[0].cells.len = { mean: 12, lo: 11, hi: 13, n: 4 };
    const varied = renderReport(grid);
    expect(varied).toContain('<span class="cell-n">n=4</span>');
    expect(varied).toMatch(/<td>varies<\/td>/);
  });

  it("shows a break-even table as its own section, exact cells without brackets", () => {
    const data = sampleReportData();
    expect(renderReport(data)).not.toContain('id="break-even"');
    data.breakEven = {
      caption: "Where the value can change the best action.",
      ciMethod: "learned columns: the Student-t 95% CI over seeds",
      columns: [
        { key: "breakEven", label: "s*(k)", format: "number", digits: 2 },
        { key: "learned", label: "learned: worked, RLEV", format: "percent" },
      ],
      rows: [
        {
          label: "k = 6 (724 items)",
          group: "λ = 0.1",
          cells: { breakEven: { mean: 1.444 }, learned: null },
        },
        {
          label: "k = 7 (702 items)",
          group: "λ = 0.1",
          cells: { breakEven: { mean: 1.667 }, learned: { mean: 0.5, lo: 0.4, hi: 0.6, n: 5 } },
        },
      ],
    };
    const html = renderReport(data);
    const section = html.slice(html.indexOf('id="break-even"'));
    expect(section).toContain("Where the value can matter: break-even by difficulty");
    expect(section).toContain("k = 6 (724 items)");
    expect(section).toContain("1.44");
    expect(section).toContain("[40.0%, 60.0%]");
    expect(section).toContain("In brackets: learned columns: the Student-t 95% CI over seeds.");
  });

  it("is deterministic", () => {
    expect(renderReport(sampleReportData())).toBe(renderReport(sampleReportData()));
  });
});

describe("parseReportData", () => {
  const fieldOf = (data: unknown) => {
    try {
      parseReportData(data, "r.json");
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message.split("\n")).toHaveLength(1);
      return (err as InputError).location.field;
    }
    return undefined;
  };

  it("accepts the demo, grid and endpoint shapes", () => {
    for (const d of [sampleReportData(), gridReportData(), endpointReportData()])
      expect(parseReportData(JSON.parse(JSON.stringify(d)))).toEqual(d);
    expect(chartIds(sampleReportData())).toEqual([
      "curve:hAcc",
      "curve:acc",
      "curve:length",
      "lengthByValue",
      "eosTrajectories",
      "eosGradient",
    ]);
  });

  it("names the offending field", () => {
    const bad = (mutate: (d: ReportData) => void) => {
      const d = sampleReportData();
      mutate(d);
      return fieldOf(JSON.parse(JSON.stringify(d)));
    };
    expect(fieldOf({})).toBe("title");
    expect(bad((d) => (d.results!.rows[1].cells.hAcc = { mean: 0.5, lo: 0.6, hi: 0.4 }))).toBe(
      "results.rows.1.cells.hAcc.lo",
    );
    expect(bad((d) => (d.results!.rows[0].cells.acc = { mean: 0.5, lo: 0.4 }))).toBe(
      "results.rows.0.cells.acc.hi",
    );
    expect(bad((d) => (d.curves![1].series[2].arm = "rlve"))).toBe("curves.1.series.2.arm");
    expect(bad((d) => (d.results!.rows[2].cells.hacc = { mean: 1 }))).toBe("results.rows.2.cells.hacc");
    expect(bad((d) => d.lengthByValue!.series[0].values.pop())).toBe("lengthByValue.series.0.values");
    expect(bad((d) => ((d.claims![0] as { status: string }).status = "done"))).toBe("claims.0.status");
    expect(bad((d) => ((d as unknown as Record<string, unknown>).subTitle = "typo"))).toBe("");
    expect(bad((d) => (d.arms![1].id = "correctness"))).toBe("arms.1.id");
    expect(bad((d) => ((d.curves![0].series[0].points[3] as { mean: unknown }).mean = "0.5"))).toBe(
      "curves.0.series.0.points.3.mean",
    );
  });
});

describe("seed statistics", () => {
  it("gives the Student-t 95% interval (worked by hand)", () => {
    // [1..5]: mean 3, s = √2.5 = 1.5811, s/√5 = 0.70711, t(0.975, 4) = 2.776445 → ± 1.96324.
    const e = seedEstimate([1, 2, 3, 4, 5]);
    expect(e.mean).toBe(3);
    expect(e.n).toBe(5);
    expect(e.lo).toBeCloseTo(1.03676, 4);
    expect(e.hi).toBeCloseTo(4.96324, 4);
    expect(seedEstimate([0.7])).toEqual({ mean: 0.7, n: 1 });
  });

  it("pairs differences over seeds", () => {
    // a − b = [1, 2, 3]: mean 2, s = 1, s/√3 = 0.57735, t(0.975, 2) = 4.302653 → ± 2.48414.
    const e = pairedEstimate([11, 12, 13], [10, 10, 10]);
    expect(e.mean).toBe(2);
    expect(e.lo).toBeCloseTo(-0.48414, 4);
    expect(e.hi).toBeCloseTo(4.48414, 4);
  });

  it("aggregates per-seed curves by step", () => {
    const points = aggregateSeeds([
      [
        { x: 10, y: 1 },
        { x: 0, y: 0 },
      ],
      [
        { x: 0, y: 2 },
        { x: 10, y: 3 },
        { x: 20, y: 5 },
      ],
    ]);
    expect(points.map((p) => [p.x, p.mean, p.n])).toEqual([
      [0, 1, 2],
      [10, 2, 2],
      [20, 5, 1],
    ]);
    // Two seeds {0, 2}: s = √2, s/√2 = 1, t(0.975, 1) = 12.706205.
    expect(points[0].hi).toBeCloseTo(1 + 12.706205, 4);
    expect(points[2].lo).toBeUndefined();
  });
});

describe("data tables (numbers or text per cell)", () => {
  const withTable = (): ReportData => ({
    title: "t",
    tables: [
      {
        id: "items",
        title: "Items to read",
        lede: "Read `these`.",
        columns: [
          { key: "id", label: "item", kind: "text" },
          { key: "score", label: "score", format: "percent", digits: 1 },
          { key: "note", label: "note", kind: "text" },
        ],
        rows: [
          { id: "a<b>", score: 0.125, note: "line 1\nline 2 & more" },
          { id: "c", score: null },
        ],
      },
    ],
  });

  it("renders its own section: text escaped and wrapped, numbers formatted, missing cells as a dash", () => {
    const html = renderReport(withTable());
    expect(sectionIds(html)).toEqual(["table-items"]);
    expect(html).toContain('<td class="text">a&lt;b&gt;</td>');
    expect(html).toContain("<td>12.5%</td>");
    expect(html).toContain('<td class="text">line 1\nline 2 &amp; more</td>');
    expect(html).toContain("<code>these</code>");
    // Row 2: score null and note absent are both dashes.
    const row2 = /<tr><td class="text">c<\/td>(.*?)<\/tr>/.exec(html)![1];
    expect(row2.match(/class="dash"/g)).toHaveLength(2);
    checkWellFormedXml(html.slice(html.indexOf("<main>"), html.indexOf("</main>") + 7));
  });

  it("rejects duplicate table ids and bad ids, naming the field", () => {
    const dup = withTable();
    dup.tables!.push({ ...dup.tables![0] });
    expect(() => parseReportData(dup, "r.json")).toThrow(
      /r\.json field "tables\.1\.id": duplicate table id "items"/,
    );
    const bad = withTable();
    bad.tables![0].id = "1 items";
    expect(() => parseReportData(bad, "r.json")).toThrow(/field "tables\.0\.id"/);
  });
});
