import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../util/atomic.js";
import { InputError } from "../util/errors.js";

/**
 * A character/word-level tokenizer for a task: a fixed list of token strings plus PAD (id 0) and
 * EOS (id 1). Text is split by greedy longest match, so a vocabulary of single characters is a
 * character tokenizer and one with words ("carry", "+") tokenizes those words whole.
 * Saved as tokenizer.json beside a checkpoint.
 */

export const PAD_TOKEN = "<pad>";
export const EOS_TOKEN = "<eos>";
export const PAD_ID = 0;
export const EOS_ID = 1;

export interface TokenizerJson {
  format: "rlev-tokenizer";
  version: 1;
  /** Every token by id; ids 0 and 1 are PAD and EOS. */
  tokens: string[];
}

export class Tokenizer {
  readonly tokens: readonly string[];
  readonly padId = PAD_ID;
  readonly eosId = EOS_ID;
  private readonly ids: Map<string, number>;
  private readonly maxLen: number;

  private constructor(tokens: string[]) {
    this.tokens = tokens;
    this.ids = new Map(tokens.map((t, i) => [t, i]));
    this.maxLen = Math.max(1, ...tokens.slice(2).map((t) => t.length));
  }

  /** A tokenizer over these token strings (PAD and EOS are added in front). */
  static fromTokens(tokens: readonly string[]): Tokenizer {
    const seen = new Set<string>([PAD_TOKEN, EOS_TOKEN]);
    for (const [i, t] of tokens.entries()) {
      if (typeof t !== "string" || t.length === 0)
        throw new RangeError(`token ${i} must be a non-empty string`);
      if (seen.has(t)) throw new RangeError(`token ${JSON.stringify(t)} appears twice (or is reserved)`);
      seen.add(t);
    }
    return new Tokenizer([PAD_TOKEN, EOS_TOKEN, ...tokens]);
  }

  /** A character tokenizer over every character of `alphabet`. */
  static fromAlphabet(alphabet: string): Tokenizer {
    return Tokenizer.fromTokens([...new Set(alphabet)]);
  }

  get vocabSize(): number {
    return this.tokens.length;
  }

  /** Token ids of `text` (no EOS added); throws RangeError naming the first character not covered. */
  encode(text: string): number[] {
    const out: number[] = [];
    let i = 0;
    while (i < text.length) {
      let id = -1;
      for (let len = Math.min(this.maxLen, text.length - i); len > 0; len--) {
        const hit = this.ids.get(text.slice(i, i + len));
        if (hit !== undefined && hit > EOS_ID) {
          id = hit;
          i += len;
          break;
        }
      }
      if (id < 0)
        throw new RangeError(
          `cannot tokenize ${JSON.stringify(text[i])} at offset ${i} of ${JSON.stringify(text)}`,
        );
      out.push(id);
    }
    return out;
  }

  /** Text of token ids; PAD and EOS are dropped unless `keepSpecial` (then written as <pad>, <eos>). */
  decode(ids: readonly number[], options: { keepSpecial?: boolean } = {}): string {
    let s = "";
    for (const id of ids) {
      const t = this.tokens[id];
      if (t === undefined)
        throw new RangeError(`token id ${id} is outside the vocabulary (size ${this.vocabSize})`);
      if (id <= EOS_ID && !options.keepSpecial) continue;
      s += t;
    }
    return s;
  }

  toJSON(): TokenizerJson {
    return { format: "rlev-tokenizer", version: 1, tokens: [...this.tokens] };
  }

  /** Parses tokenizer.json content; `file` names the source in errors. */
  static fromJSON(json: unknown, file = "tokenizer.json"): Tokenizer {
    const j = json as Partial<TokenizerJson> | null;
    if (!j || typeof j !== "object" || j.format !== "rlev-tokenizer")
      throw new InputError({ file, field: "format" }, 'expected "rlev-tokenizer"');
    if (j.version !== 1) throw new InputError({ file, field: "version" }, `unsupported version ${j.version}`);
    const tokens = j.tokens;
    if (!Array.isArray(tokens) || tokens[PAD_ID] !== PAD_TOKEN || tokens[EOS_ID] !== EOS_TOKEN)
      throw new InputError(
        { file, field: "tokens" },
        `must be a list starting with "${PAD_TOKEN}", "${EOS_TOKEN}"`,
      );
    try {
      return Tokenizer.fromTokens(tokens.slice(2));
    } catch (err) {
      throw new InputError({ file, field: "tokens" }, (err as Error).message);
    }
  }

  async save(path: string): Promise<void> {
    await writeFileAtomic(path, `${JSON.stringify(this.toJSON(), null, 2)}\n`);
  }

  static async load(path: string): Promise<Tokenizer> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch {
      throw new InputError({ file: path }, "cannot read tokenizer file");
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new InputError({ file: path }, `invalid JSON (${(err as Error).message})`);
    }
    return Tokenizer.fromJSON(json, path);
  }
}
