import type { Rng } from "../../src/util/rng.js";

/** A response whose exact arithmetic takes seconds: a sum of ~150 terms n/n! near 3000!. */
export function slowInput(): string {
  const terms: string[] = [];
  for (let n = 2999; n > 2850; n--) terms.push(`\\frac{${n}}{${n}!}`);
  return terms.join("+");
}

/**
 * Hostile answer texts of many kinds: deep nesting, megabyte strings, exponent towers,
 * regular-expression bait, unbalanced LaTeX, huge factorials, ± explosions, binary noise.
 */
export function hostileInput(rng: Rng, i: number): string {
  const n = 1 + rng.int(4000);
  switch (i % 20) {
    case 0:
      return `${"{".repeat(n)}1${"}".repeat(n)}`;
    case 1:
      // A megabyte now and then (keeps the run's memory modest).
      return i % 400 === 1 ? "9".repeat(1_000_000) : "7".repeat(n * 10);
    case 2:
      return `10^{10^{10^{${n}}}}`;
    case 3:
      return `${"a".repeat(n)}!${"a".repeat(n)}`;
    case 4:
      return "\\boxed{".repeat(n);
    case 5:
      return `${"(".repeat(n)}x${")".repeat(rng.int(n + 1))}`;
    case 6:
      return Array.from({ length: 1 + rng.int(12) }, () => "1\\pm").join("") + "1";
    case 7:
      return `\\frac{1}{${rng.int(100000)}!}`;
    case 8:
      return `${"1,".repeat(n)}1`;
    case 9:
      return `${" ".repeat(n)}\\text{${"x ".repeat(n)}`;
    case 10:
      return `\\sqrt[${n}]{${"2^".repeat(Math.min(n, 300))}2}`;
    case 11:
      return Array.from({ length: 1 + rng.int(300) }, () => String.fromCharCode(rng.int(0x3000))).join("");
    case 12:
      return `The answer is ${"**".repeat(n)} and ${"#### ".repeat(rng.int(50))}`;
    case 13:
      return `\\begin{pmatrix}${"1 & ".repeat(rng.int(500))}1 \\\\ ${"\\\\".repeat(rng.int(500))}\\end{pmatrix}`;
    case 14:
      return `${"\\left(".repeat(rng.int(200))}\\sin${"\\sin".repeat(rng.int(200))} x`;
    // Answer formats of real outputs (issue 13): fields, tags, numbering, phrases, labels, units.
    case 16:
      return i % 2 === 0 ? "【答案】".repeat(n) : `${"(1) A ".repeat(n)}${"①②".repeat(n)}`;
    case 17:
      return i % 2 === 0 ? `<answer>${"<answer>".repeat(n)}` : `${"故选".repeat(n)}${"not A ".repeat(n)}`;
    case 18:
      return i % 2 === 0
        ? `${"的".repeat(n * 10)}=${"AB=4, ".repeat(n)}`
        : `${"1:".repeat(n)}${"5 ".repeat(n)}kg`;
    case 19:
      return `\\boxed{${"0<f(x)<".repeat(rng.int(300))}1} ${"#### 2:00 pm ".repeat(rng.int(50))}`;
    default:
      return `<think>${"\\boxed{1".repeat(rng.int(100))}</think>${"9.9e99999".repeat(rng.int(20))}`;
  }
}
