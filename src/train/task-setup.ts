import type { Item } from "../data/item.js";
import { Tokenizer } from "../model/tokenizer.js";
import { chainMeta } from "../task/exams.js";
import { renderSolution, type SolutionMode, TASK_ALPHABET } from "../task/format.js";

/** The character tokenizer of the embedded task (PAD, EOS, then the task alphabet). */
export function taskTokenizer(): Tokenizer {
  return Tokenizer.fromAlphabet(TASK_ALPHABET);
}

/** Prompt and solution tokens of one supervised example; only the solution (and EOS) is trained. */
export function supervisedExample(
  item: Item,
  mode: SolutionMode,
  tokenizer: Tokenizer,
): { prompt: number[]; response: number[] } {
  const meta = chainMeta(item);
  return {
    prompt: tokenizer.encode(item.prompt),
    response: [...tokenizer.encode(renderSolution(meta.terms, meta.modulus, mode)), tokenizer.eosId],
  };
}

/** Longest prompt of a set of items, in tokens. */
export function maxPromptTokens(items: readonly Item[], tokenizer: Tokenizer): number {
  return items.reduce((m, item) => Math.max(m, tokenizer.encode(item.prompt).length), 0);
}

/** Counts consecutive steps with a skipped (non-finite) update and says when to give up. */
export class NonFiniteGuard {
  constructor(
    private readonly limit: number,
    public streak = 0,
  ) {}

  /** Records a step; returns true when the run must abort. */
  record(skipped: boolean): boolean {
    this.streak = skipped ? this.streak + 1 : 0;
    return this.streak >= this.limit;
  }
}
