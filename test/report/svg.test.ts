import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { linearScale, niceDomain, niceStep } from "../../src/report/scale.js";
import { barChart, lineChart, seriesColor } from "../../src/report/svg.js";
import { coord, escapeXml, formatNumber, textWidth } from "../../src/report/text.js";
import { checkWellFormedXml } from "./xml.js";

/** Attributes of every element `<name ... class="...cls...">` as string maps, in document order. */
function elements(svg: string, name: string, cls: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const m of svg.matchAll(new RegExp(`<${name}\\s([^>]*?)/?>`, "g"))) {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    if ((attrs.class ?? "").split(" ").includes(cls)) out.push(attrs);
  }
  return out;
}

// A fixed frame so positions can be worked out by hand: plot area x 50..380 (330 wide), y 20..260 (240 high).
const FRAME = {
  width: 400,
  height: 300,
  margin: { top: 20, right: 20, bottom: 40, left: 50 },
  legend: false,
};

describe("text helpers", () => {
  it("escapes markup, quotes and XML-invalid control characters", () => {
    expect(escapeXml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    expect(escapeXml("bell\u0007")).toBe("bell\uFFFD");
    expect(escapeXml("lone \uD800 surrogate")).toBe("lone \uFFFD surrogate");
    expect(escapeXml("pair 😀 ok")).toBe("pair 😀 ok");
  });

  it("makes any string safe inside XML text and attributes (property)", () => {
    const forbidden = (t: string) => {
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
        if (c === 0xfffe || c === 0xffff) return true;
        if (c >= 0xd800 && c <= 0xdbff) {
          const n = t.charCodeAt(i + 1);
          if (!(n >= 0xdc00 && n <= 0xdfff)) return true;
          i++;
        } else if (c >= 0xdc00 && c <= 0xdfff) return true;
      }
      return false;
    };
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const e = escapeXml(s);
        expect(forbidden(e)).toBe(false);
        checkWellFormedXml(`<t a="${e}">${e}</t>`);
        // Nothing is lost but the forbidden characters: unescaping gives the input back when it had none.
        if (!forbidden(s))
          expect(
            e
              .replace(/&lt;/g, "<")
              .replace(/&gt;/g, ">")
              .replace(/&quot;/g, '"')
              .replace(/&#39;/g, "'")
              .replace(/&amp;/g, "&"),
          ).toBe(s);
      }),
    );
  });

  it("formats coordinates with at most two decimals and no negative zero", () => {
    expect(coord(132.5)).toBe("132.5");
    expect(coord(1 / 3)).toBe("0.33");
    expect(coord(-0.001)).toBe("0");
    expect(coord(20)).toBe("20");
  });

  it("estimates label widths, wide for CJK", () => {
    // 0.58 em per lowercase letter, a full em per CJK character.
    expect(textWidth("abc", 10)).toBeCloseTo(17.4, 6);
    expect(textWidth("第三题（5 分）", 10)).toBeGreaterThan(textWidth("abcdefgh", 10));
    expect(textWidth("分", 12)).toBe(12);
  });

  it("formats numbers by kind", () => {
    expect(formatNumber(0.5704, "percent")).toBe("57.0%");
    expect(formatNumber(84.849, "number", 1)).toBe("84.8");
    expect(formatNumber(-0.0001, "number", 2)).toBe("0.00");
    expect(formatNumber(12.6, "integer")).toBe("13");
    expect(formatNumber(Number.NaN)).toBe("—");
  });
});

describe("nice ticks", () => {
  it("matches hand-worked domains", () => {
    // span 0.64 / 5 = 0.128 → magnitude 0.1, 1.28 → step 0.1; ends floor(2.3)/ceil(8.7) tenths.
    expect(niceDomain(0.23, 0.87, 5)).toEqual({
      min: 0.2,
      max: 0.9,
      step: 0.1,
      ticks: [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
    });
    // 150 / 5 = 30 → 3.0 × 10 → step 50.
    expect(niceDomain(0, 150, 5).ticks).toEqual([0, 50, 100, 150]);
    // Fixed ends stay put; ticks are the multiples of the step inside them.
    expect(niceDomain(0.1, 0.9, 5, { min: 0, max: 1 })).toEqual({
      min: 0,
      max: 1,
      step: 0.2,
      ticks: [0, 0.2, 0.4, 0.6, 0.8, 1],
    });
    // A flat series still gets a domain around its value.
    expect(niceDomain(3, 3, 5).ticks).toContain(3);
    expect(niceStep(7, 1)).toBe(10);
  });

  it("covers a tiny span far from 0 up to the doubles' spacing (found by the property below)", () => {
    const lo = -60079.85937499999;
    const d = niceDomain(lo, lo + 1e-6, 4);
    expect(d.step).toBeCloseTo(2e-7, 20);
    expect(d.min).toBeLessThanOrEqual(lo);
    expect(d.max).toBeGreaterThanOrEqual(lo + 1e-6 - 1e-10);
    expect(d.ticks).toHaveLength(6);
  });

  it("covers the data with ascending 1-2-5 ticks (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.integer({ min: 2, max: 10 }),
        (lo, span, count) => {
          const hi = lo + span;
          const d = niceDomain(lo, hi, count);
          // Ends may round inward by float noise only: a tiny fraction of a step, or the doubles'
          // own spacing where the values dwarf the span (-60079.859375 with a span of 1e-6).
          const noise = 1e-8 * d.step + 1e-12 * Math.max(Math.abs(lo), Math.abs(hi));
          expect(d.min).toBeLessThanOrEqual(lo + noise);
          expect(d.max).toBeGreaterThanOrEqual(hi - noise);
          const mantissa = d.step / 10 ** Math.floor(Math.log10(d.step) + 1e-12);
          expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true);
          expect(d.ticks.length).toBeGreaterThanOrEqual(2);
          expect(d.ticks.length).toBeLessThanOrEqual(3 * count + 2);
          for (let i = 1; i < d.ticks.length; i++) expect(d.ticks[i]).toBeGreaterThan(d.ticks[i - 1]);
        },
      ),
    );
  });

  it("maps linearly, with y flipped when the range is reversed", () => {
    const y = linearScale(0, 1, 260, 20);
    expect(y(0)).toBe(260);
    expect(y(0.25)).toBe(200);
    expect(y(1)).toBe(20);
  });
});

describe("lineChart", () => {
  const known = () =>
    lineChart({
      id: "known",
      ...FRAME,
      series: [
        {
          name: "A",
          points: [
            { x: 0, y: 0 },
            { x: 2.5, y: 0.25 },
            { x: 5, y: 0.5 },
            { x: 10, y: 1 },
          ],
        },
      ],
      x: { min: 0, max: 10 },
      y: { min: 0, max: 1 },
    });

  it("puts points where the scales say (worked by hand)", () => {
    // x: 50 + x/10·330 → 0→50, 2.5→132.5, 5→215, 10→380; y: 260 − y·240 → 0→260, .25→200, .5→140, 1→20.
    const svg = known();
    const [line] = elements(svg, "path", "rc-line");
    expect(line.d).toBe("M50 260L132.5 200L215 140L380 20");
    const dots = elements(svg, "circle", "rc-dot").map((c) => [Number(c.cx), Number(c.cy)]);
    expect(dots).toEqual([
      [50, 260],
      [132.5, 200],
      [215, 140],
      [380, 20],
    ]);
    // 240 px / 45 → 5 ticks wanted → step 0.2: grid lines at 260, 212, 164, 116, 68, 20.
    expect(elements(svg, "line", "rc-grid").map((g) => Number(g.y1))).toEqual([260, 212, 164, 116, 68, 20]);
    expect(svg).toContain(">0.6</text>");
  });

  it("is well-formed, accessible and deterministic", () => {
    const svg = known();
    const names = checkWellFormedXml(svg);
    expect(names[0]).toBe("svg");
    expect(names.slice(1, 3)).toEqual(["title", "desc"]);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="known-title known-desc"');
    expect(svg).toContain('<title id="known-title">');
    expect(svg).toMatch(/<desc id="known-desc">Line chart of 1 series \(A\)/);
    expect(known()).toBe(svg);
  });

  it("shades the band between lo and hi, and breaks the line at missing values", () => {
    const svg = lineChart({
      id: "band",
      ...FRAME,
      series: [
        {
          name: "B",
          points: [
            { x: 0, y: 0, lo: 0.4, hi: 0.6 },
            { x: 2, y: 0.5, lo: 0.3, hi: 0.7 },
            { x: 5, y: null },
            { x: 8, y: 0.5 },
            { x: 10, y: 1 },
          ],
        },
      ],
      x: { min: 0, max: 10 },
      y: { min: 0, max: 1 },
    });
    // Band: upper edge (0,.6)→(50,116), (2,.7)→(116,92); back along the lower edge (2,.3)→(116,188), (0,.4)→(50,164).
    expect(elements(svg, "path", "rc-band")[0].d).toBe("M50 116L116 92L116 188L50 164Z");
    // The null at x = 5 splits the line: (0,0)(2,.5) then (8,.5)(10,1).
    expect(elements(svg, "path", "rc-line")[0].d).toBe("M50 260L116 140M314 140L380 20");
  });

  it("escapes every label", () => {
    const svg = lineChart({
      id: "esc",
      title: `A<B & "C"`,
      series: [
        { name: "</svg><script>alert('x')</script>", points: [{ x: 0, y: 1 }] },
        { name: "second & third", points: [{ x: 1, y: 2 }] },
      ],
      x: { label: "<x>" },
      y: { label: "y & z" },
    });
    checkWellFormedXml(svg);
    expect(svg).not.toContain("<script");
    expect(svg).toContain("&lt;/svg&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(svg).toContain("A&lt;B &amp; &quot;C&quot;");
  });

  it("wraps a long legend into rows that neither overlap each other nor the plot", () => {
    const series = Array.from({ length: 12 }, (_, i) => ({
      name: `cell ${i}: estimator × reward`,
      points: [
        { x: 0, y: i },
        { x: 1, y: i + 1 },
      ],
    }));
    const svg = lineChart({ id: "legend", width: 480, height: 320, series });
    checkWellFormedXml(svg);
    const items = [
      ...svg.matchAll(/<text class="rc-legend-text" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</g),
    ].map((m) => ({ x: Number(m[1]), y: Number(m[2]), text: m[3] }));
    expect(items).toHaveLength(12);
    const rows = [...new Set(items.map((i) => i.y))];
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) {
      const inRow = items.filter((i) => i.y === row).sort((a, b) => a.x - b.x);
      for (let k = 1; k < inRow.length; k++)
        expect(inRow[k - 1].x + textWidth(inRow[k - 1].text, 12)).toBeLessThan(inRow[k].x);
      for (const item of inRow) expect(item.x + textWidth(item.text, 12)).toBeLessThanOrEqual(480);
    }
    const plotTop = Math.min(...elements(svg, "line", "rc-grid").map((g) => Number(g.y1)));
    expect(Math.max(...rows) + 8).toBeLessThan(plotTop);
    // Colours repeat after eight series, with a dash pattern to tell them apart.
    const lines = elements(svg, "path", "rc-line");
    expect(lines[8].stroke).toBe(seriesColor(0));
    expect(lines[8]["stroke-dasharray"]).toBeDefined();
    expect(lines[0]["stroke-dasharray"]).toBeUndefined();
  });
});

describe("barChart", () => {
  it("places grouped bars and 95% CI error bars (worked by hand)", () => {
    const svg = barChart({
      id: "bars",
      ...FRAME,
      categories: ["a", "b"],
      series: [
        { name: "S1", values: [{ mean: 5, lo: 4, hi: 6 }, null] },
        { name: "S2", values: [{ mean: 2.5 }, { mean: 10 }] },
      ],
      y: { min: 0, max: 10 },
    });
    checkWellFormedXml(svg);
    // Slots of 330/2 = 165; groups 0.78·165 = 128.7 wide, centred (offset 18.15); bars 64.35 wide,
    // inset 2 each side. Heights: y(v) = 260 − 24·v.
    const bars = elements(svg, "rect", "rc-bar").map((r) => ({
      x: Number(r.x),
      y: Number(r.y),
      w: Number(r.width),
      h: Number(r.height),
    }));
    expect(bars).toHaveLength(3); // the null value draws nothing
    const expected = [
      { x: 50 + 18.15 + 2, y: 140, w: 60.35, h: 120 }, // S1·a = 5
      { x: 50 + 18.15 + 64.35 + 2, y: 200, w: 60.35, h: 60 }, // S2·a = 2.5
      { x: 50 + 165 + 18.15 + 64.35 + 2, y: 20, w: 60.35, h: 240 }, // S2·b = 10
    ];
    bars.forEach((b, i) => {
      expect(b.x).toBeCloseTo(expected[i].x, 2);
      expect(b.y).toBeCloseTo(expected[i].y, 2);
      expect(b.w).toBeCloseTo(expected[i].w, 2);
      expect(b.h).toBeCloseTo(expected[i].h, 2);
    });
    // One error bar (only S1·a has an interval): centre 68.15 + 32.175 = 100.325, from y(4) = 164 to y(6) = 116.
    const errs = elements(svg, "path", "rc-err");
    expect(errs).toHaveLength(1);
    const m = /^M([\d.]+) 164V116M/.exec(errs[0].d);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeCloseTo(100.325, 1);
  });

  it("extends the axis to zero and draws a zero line for negative values", () => {
    const svg = barChart({
      id: "neg",
      categories: ["x"],
      series: [{ name: "d", values: [{ mean: -2, lo: -3, hi: -1 }] }],
    });
    checkWellFormedXml(svg);
    // Domain −3..0 in steps of 0.5 (3 / 6 ticks wanted → 0.5).
    expect(svg).toContain(">0.0</text>");
    expect(svg).toContain(">-3.0</text>");
    // The bar hangs from zero (the top here) down to −2, and a zero line marks its base.
    const [bar] = elements(svg, "rect", "rc-bar");
    const [zero] = elements(svg, "line", "rc-axis");
    expect(Number(bar.y)).toBeCloseTo(Number(zero.y1), 2);
  });

  it("angles category labels that do not fit their slot", () => {
    const svg = barChart({
      id: "long",
      width: 300,
      categories: Array.from({ length: 8 }, (_, i) => `a rather long bucket label ${i}`),
      series: [{ name: "s", values: Array.from({ length: 8 }, (_, i) => ({ mean: i + 1 })) }],
    });
    checkWellFormedXml(svg);
    expect(svg).toMatch(/transform="rotate\(-30 /);
    // Angled labels need more room below the plot than level ones (the axis moves up).
    const axisBottom = (s: string) => Number(/class="rc-axis" d="M[\d.]+ [\d.]+V([\d.]+)H/.exec(s)![1]);
    const level = barChart({
      id: "short",
      width: 300,
      categories: ["a", "b"],
      series: [{ name: "s", values: [{ mean: 1 }, { mean: 2 }] }],
    });
    expect(axisBottom(svg)).toBeLessThan(axisBottom(level) - 40);
  });
});
