import type { Command } from "commander";
import { gradeSaved } from "../../eval/grade-saved.js";
import { blankPointsOption, multiSelectRuleOption } from "../../eval/grading.js";
import { UsageError } from "../../util/errors.js";

interface GradeOpts {
  items?: string;
  responses?: string;
  out?: string;
  multiSelect: string;
  approximate?: boolean;
  blankPoints?: string;
  threads?: string;
  timeoutMs: string;
  bootstrap: string;
  progress: boolean;
}

function intOption(name: string, raw: string, min: number): number {
  const x = Number(raw);
  if (!Number.isInteger(x) || x < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got "${raw}"`);
  return x;
}

export function register(program: Command): void {
  program
    .command("grade")
    .description(
      "grade saved outputs of any model by value: graded.jsonl, metrics.json (Acc, H-Acc, points per exam) and report.html",
    )
    .option("--items <path>", "items (.jsonl/.parquet or a folder); optional with GAOKAO-Bench result files")
    .option(
      "--responses <path>",
      "responses: .jsonl/.parquet lines {id, response, sample?, length?, score?|correct?, pred?}, or GAOKAO-Bench result files (.json or a folder)",
    )
    .option("--out <dir>", "output folder (a rerun there resumes: verdicts already made are kept)")
    .option(
      "--multi-select <rule>",
      "multiple-select partial credit: strict, half = six-three-zero (6/3/0), five-two-zero, per-option",
      "strict",
    )
    .option(
      "--approximate",
      "accept rounded decimals for exact symbolic references (off: a policy could learn to round)",
    )
    .option(
      "--blank-points <list>",
      "points per blank of multi-blank items, e.g. 2,2,3 (default: the item's meta.blankPoints, else equal)",
    )
    .option("--threads <n>", "verifier worker threads (default: CPUs, at most 8)")
    .option("--timeout-ms <n>", "hard time limit per response", "3000")
    .option("--bootstrap <n>", "bootstrap resamples for the CIs (0: none)", "1000")
    .option("--no-progress", "no progress bar")
    .action(async (opts: GradeOpts) => {
      if (!opts.responses) throw new UsageError("grade needs --responses <path>");
      if (!opts.out) throw new UsageError("grade needs --out <dir>");
      const r = await gradeSaved({
        items: opts.items,
        responses: opts.responses,
        out: opts.out,
        grading: {
          multiSelect: multiSelectRuleOption(opts.multiSelect),
          approximate: opts.approximate ?? false,
          ...(opts.blankPoints !== undefined ? { blankPoints: blankPointsOption(opts.blankPoints) } : {}),
        },
        threads: opts.threads === undefined ? undefined : intOption("threads", opts.threads, 1),
        timeoutMs: intOption("timeout-ms", opts.timeoutMs, 1),
        bootstrap: intOption("bootstrap", opts.bootstrap, 0),
        progress: opts.progress && process.stderr.isTTY === true,
        command: `rlev ${process.argv.slice(2).join(" ")}`,
      });
      const m = r.metrics;
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
      const s = m.summary.metrics;
      let text =
        `graded ${m.responses} responses to ${m.items} items (${r.fromCache} verdicts from an earlier run): ` +
        `Acc ${pct(s.acc.estimate)}  H-Acc ${pct(s.hAcc.estimate)}  points ${m.points.earned.toFixed(1)} / ${m.points.total.toFixed(1)} (${pct(m.points.rate)})\n`;
      for (const sub of m.bySubject)
        text += `  ${sub.key}: ${pct(sub.rate)}${sub.given ? ` (input's own verdicts: ${pct(sub.given.rate)})` : ""}\n`;
      if (m.given)
        text += `agreement with the input's verdicts: ${m.given.agreement.agree}/${m.given.agreement.compared} responses, ${m.given.blankAgreement.agree}/${m.given.blankAgreement.compared} blanks\n`;
      text += `verdicts: ${Object.entries(m.verdicts)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}\nwrote ${r.files.graded}, ${r.files.metrics}, ${r.files.summary}, ${r.files.report}\n`;
      process.stdout.write(text);
    });
}
