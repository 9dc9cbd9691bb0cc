import type { Command } from "commander";
import { z } from "zod";
import { ANSWER_TYPES, type AnswerType } from "../../data/item.js";
import { readJsonlRaw, writeJsonl, zodToInputError } from "../../data/jsonl.js";
import { gradingInput, multiSelectRuleOption } from "../../eval/grading.js";
import { UsageError } from "../../util/errors.js";
import { parseChoiceLetters } from "../../verify/choice.js";
import { VerifierPool } from "../../verify/pool.js";
import type { VerifyInput } from "../../verify/types.js";

/** One line of `rlev verify --input`. */
const CaseSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  reference: z.union([z.string(), z.array(z.string()).min(1)]),
  response: z.string(),
  mode: z.enum(["answer", "full"]).optional(),
  type: z.enum(["math", "choice", "number", ...ANSWER_TYPES]).optional(),
  partialCredit: z.boolean().optional(),
});
type Case = z.infer<typeof CaseSchema>;

interface VerifyOpts {
  input?: string;
  output?: string;
  threads?: string;
  timeoutMs: string;
  partialCredit?: boolean;
  multiSelect?: string;
  approximate?: boolean;
  lastNumber: boolean;
}

function positiveInt(name: string, raw: string): number {
  const x = Number(raw);
  if (!Number.isInteger(x) || x < 1)
    throw new UsageError(`--${name} must be a positive integer, got "${raw}"`);
  return x;
}

/** "choice" picks single or multi by the number of letters in the reference. */
function answerTypeOf(c: Case): AnswerType | undefined {
  if (c.type === undefined) return Array.isArray(c.reference) ? "choice_list" : undefined;
  if (c.type === "choice") {
    if (Array.isArray(c.reference)) return "choice_list";
    const letters = parseChoiceLetters(c.reference);
    return letters && letters.length > 1 ? "multi_choice" : "single_choice";
  }
  return c.type;
}

export function register(program: Command): void {
  program
    .command("verify")
    .description(
      'check answers against references (JSONL lines: {"id"?, "reference", "response", "mode"?: "answer"|"full", "type"?: "math"|"choice"|"number"}); writes {id, correct, score, pred, reason}',
    )
    .option("--input <file>", "cases to verify (JSONL)")
    .option("--output <file>", "verdicts (JSONL, written atomically)")
    .option("--threads <n>", "worker threads (default: CPUs, at most 8)")
    .option("--timeout-ms <n>", "hard time limit per item", "3000")
    .option("--partial-credit", "multi-select: half credit for a correct strict subset (GAOKAO rule)")
    .option(
      "--multi-select <rule>",
      "multiple-select credit: strict, half = six-three-zero, five-two-zero, per-option (as rlev grade)",
    )
    .option("--approximate", "accept rounded decimals for exact symbolic references (as rlev grade)")
    .option("--no-last-number", "do not fall back to the last number of a response")
    .action(async (opts: VerifyOpts) => {
      if (!opts.input) throw new UsageError("verify needs --input <file>");
      if (!opts.output) throw new UsageError("verify needs --output <file>");
      const timeoutMs = positiveInt("timeout-ms", opts.timeoutMs);
      const threads = opts.threads === undefined ? undefined : positiveInt("threads", opts.threads);
      const rule = opts.multiSelect === undefined ? undefined : multiSelectRuleOption(opts.multiSelect);

      // Validate every line before any work, so a bad line leaves no output behind.
      const ids: Array<string | number> = [];
      const inputs: VerifyInput[] = [];
      for await (const { line, value } of readJsonlRaw(opts.input)) {
        const parsed = CaseSchema.safeParse(value);
        if (!parsed.success) throw zodToInputError(parsed.error, { file: opts.input, line });
        const c = parsed.data;
        ids.push(c.id ?? line);
        // The verifier input as rlev grade, rlev eval and the reward server build it (eval/grading.ts).
        const partial = c.partialCredit ?? opts.partialCredit;
        const input = gradingInput({ reference: c.reference, answerType: answerTypeOf(c) }, c.response, {
          multiSelect: partial !== undefined && rule === undefined ? (partial ? "half" : "strict") : rule,
          approximate: opts.approximate ?? false,
          lastNumberFallback: opts.lastNumber,
        });
        inputs.push({ ...input, mode: c.mode ?? "full" });
      }

      const started = performance.now();
      const pool = new VerifierPool({ threads, timeoutMs });
      let verdicts: Awaited<ReturnType<VerifierPool["verifyMany"]>>;
      try {
        verdicts = await pool.verifyMany(inputs);
      } finally {
        await pool.close();
      }
      const seconds = (performance.now() - started) / 1000;
      await writeJsonl(
        opts.output,
        verdicts.map((v, i) => ({
          id: ids[i],
          correct: v.correct,
          score: v.score,
          pred: v.pred,
          reason: v.reason,
          ...(v.method ? { method: v.method } : {}),
        })),
      );
      const s = pool.stats();
      const correct = verdicts.filter((v) => v.correct).length;
      const pct = verdicts.length ? ((100 * correct) / verdicts.length).toFixed(1) : "0.0";
      process.stderr.write(
        `verify: ${verdicts.length} items, ${correct} correct (${pct}%), ${s.timeout} timeout, ${s.unparseable} unparseable, ${s.crashed} crashed, ${s.restarted} workers restarted; ${seconds.toFixed(2)} s (${(verdicts.length / Math.max(seconds, 1e-9)).toFixed(0)} items/s)\n`,
      );
    });
}
