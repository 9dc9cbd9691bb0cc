import type { GradedResponse } from "../eval/grade.js";

/**
 * Value sensitivity of the worked/direct decision (issue 14): P(worked | value, difficulty) from a
 * set of graded responses (greedy, or several sampled per question), and within each difficulty the
 * least-squares slope of worked (0/1) on the question's value. Greedy decoding hides graded
 * preferences (a 60/40 choice decodes as 100/0); sampled responses show them.
 */
export interface SensitivityCell {
  difficulty: number;
  value: number;
  /** Responses in the cell. */
  n: number;
  worked: number;
}

export interface SensitivitySlope {
  difficulty: number;
  n: number;
  /** d P(worked) / d value (per unit of value; value spans ~0.16 on the section task); NaN with one value only. */
  slope: number;
  /** Mean P(worked) at this difficulty. */
  worked: number;
}

export interface Sensitivity {
  /** Responses per question (1 for greedy). */
  samples: number;
  temperature: number;
  /** Cells by (difficulty, value rounded to 6 digits); with many distinct values use the slopes. */
  cells: SensitivityCell[];
  slopes: SensitivitySlope[];
}

type Row = Pick<GradedResponse, "value" | "difficulty" | "worked">;

/** The least-squares slope of y on x; NaN when x does not vary. */
export function olsSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n !== ys.length) throw new RangeError("olsSlope: x and y differ in length");
  if (n < 2) return Number.NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxx > 1e-18 ? sxy / sxx : Number.NaN;
}

/** Cells are kept only when a difficulty has at most this many distinct values (section-valued exams). */
const MAX_CELL_VALUES = 8;

export function valueSensitivity(rows: readonly Row[], samples: number, temperature: number): Sensitivity {
  const byDifficulty = new Map<number, Row[]>();
  for (const r of rows) {
    const g = byDifficulty.get(r.difficulty) ?? [];
    g.push(r);
    byDifficulty.set(r.difficulty, g);
  }
  const cells: SensitivityCell[] = [];
  const slopes: SensitivitySlope[] = [];
  for (const d of [...byDifficulty.keys()].sort((a, b) => a - b)) {
    const g = byDifficulty.get(d)!;
    const worked = g.map((r) => (r.worked ? 1 : 0));
    slopes.push({
      difficulty: d,
      n: g.length,
      slope: olsSlope(
        g.map((r) => r.value),
        worked,
      ),
      worked: worked.reduce((a: number, b) => a + b, 0) / g.length,
    });
    const byValue = new Map<number, { n: number; w: number }>();
    for (const r of g) {
      const v = Math.round(r.value * 1e6) / 1e6;
      const c = byValue.get(v) ?? { n: 0, w: 0 };
      c.n += 1;
      c.w += r.worked ? 1 : 0;
      byValue.set(v, c);
    }
    if (byValue.size <= MAX_CELL_VALUES)
      for (const v of [...byValue.keys()].sort((a, b) => a - b))
        cells.push({
          difficulty: d,
          value: v,
          n: byValue.get(v)!.n,
          worked: byValue.get(v)!.w / byValue.get(v)!.n,
        });
  }
  return { samples, temperature, cells, slopes };
}
