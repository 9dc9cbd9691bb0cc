/**
 * The break-even table of each task variant, computed before any run (issue 14): where a
 * question's own value can change the best action at equal difficulty, and how much is at stake.
 * Writes results/decisive/break-even-variants.md (and prints it).
 *   npx tsx scripts/break-even-variants.ts
 */
import { writeFileSync } from "node:fs";
import { TaskConfigSchema } from "../src/config/task.js";
import { breakEvenByDifficulty } from "../src/experiment/break-even.js";
import { generateExams } from "../src/task/exams.js";

const grid = { pointsBase: 2, pointsGrowth: 1.3, pointsSigma: 0.5 };
const variants: Array<{ name: string; task: Record<string, unknown> }> = [
  { name: "printed points, growth 1.3, σ 0.5 (the grid's task)", task: grid },
  {
    name: "printed points, growth 1 (no correlation with length), σ 0.5",
    task: { ...grid, pointsGrowth: 1 },
  },
  { name: "printed points, growth 1, σ 1", task: { ...grid, pointsGrowth: 1, pointsSigma: 1 } },
  {
    name: "sections: 10 questions per exam, 5 × 1 point + 5 × 9 points (v = 0.02 / 0.18, s = 1.2 / 2.0)",
    task: {
      questionsPerExam: 10,
      trainExams: 500,
      testExams: 100,
      sections: [
        { points: 1, count: 5 },
        { points: 9, count: 5 },
      ],
    },
  },
];
const prices = [0.08, 0.1, 0.11, 0.12, 0.14];
const pct = (x: number) => (100 * x).toFixed(1);
const lines: string[] = [
  "# Break-even tables of the task variants (computed before any run)",
  "",
  "Command: `npx tsx scripts/break-even-variants.ts` (src/experiment/break-even.ts on each variant's train items; α = 10, clip 1,",
  "worked answers exact, direct answers right 1 time in 10). Working a k-step chain pays iff s > s*(k) = λ(2k + 1)/0.9.",
  "s̄(k) is the mean s(x) at k (the uniform-by-difficulty control's scale); *decisive within k* is the share of items whose",
  "own s(x) falls on the other side of s*(k) from s̄(k) — only there can a question's own value, beyond its difficulty,",
  "change the best action — and *stake* is the mean expected-reward gap between the two actions on them.",
  "",
];
for (const v of variants) {
  const task = TaskConfigSchema.parse(v.task);
  const train = generateExams(task).train;
  lines.push(`## ${v.name}`, "");
  for (const lengthCost of prices) {
    const a = breakEvenByDifficulty(train, { alpha: 10, clip: 1, lengthCost });
    lines.push(
      `### λ = ${lengthCost} (global s̄ = ${a.uniformScale.toFixed(3)})`,
      "",
      "| k | items | s*(k) | s̄(k) | best worked: correctness / uniform / uniform s̄(k) / RLEV % | decisive vs uniform % | decisive within k % | stake within k | best H-Acc: correctness / uniform / s̄(k) / RLEV % |",
      "|---|---|---|---|---|---|---|---|---|",
    );
    for (const r of a.rows)
      lines.push(
        `| ${r.steps} | ${r.items} | ${r.breakEven.toFixed(2)} | ${r.difficultyScale.toFixed(2)} | ${pct(r.bestWorked.correctness)} / ${pct(r.bestWorked.uniform)} / ${pct(r.bestWorked.uniformByDifficulty)} / ${pct(r.bestWorked.rlev)} | ${pct(r.valueDecisive)} | ${pct(r.valueDecisiveWithin)} | ${r.withinStake.toFixed(3)} | ${pct(r.bestHAcc.correctness)} / ${pct(r.bestHAcc.uniform)} / ${pct(r.bestHAcc.uniformByDifficulty)} / ${pct(r.bestHAcc.rlev)} |`,
      );
    const x = a.all;
    lines.push(
      `| all | ${x.items} | | | ${pct(x.bestWorked.correctness)} / ${pct(x.bestWorked.uniform)} / ${pct(x.bestWorked.uniformByDifficulty)} / ${pct(x.bestWorked.rlev)} | ${pct(x.valueDecisive)} | ${pct(x.valueDecisiveWithin)} | ${x.withinStake.toFixed(3)} | ${pct(x.bestHAcc.correctness)} / ${pct(x.bestHAcc.uniform)} / ${pct(x.bestHAcc.uniformByDifficulty)} / ${pct(x.bestHAcc.rlev)} |`,
      "",
    );
  }
}
const out = "results/decisive/break-even-variants.md";
writeFileSync(out, `${lines.join("\n")}\n`);
console.log(lines.join("\n"));
