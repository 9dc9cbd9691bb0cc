import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EOS_ID, PAD_ID, Tokenizer } from "../../src/model/tokenizer.js";
import { InputError } from "../../src/util/errors.js";

describe("Tokenizer", () => {
  it("puts PAD and EOS first and encodes characters in order", () => {
    const tok = Tokenizer.fromAlphabet("0123456789+=A");
    expect(tok.vocabSize).toBe(15);
    expect(PAD_ID).toBe(0);
    expect(EOS_ID).toBe(1);
    // "0" is id 2, "3" id 5, "+" id 12, "=" id 13, "A" id 14 (order of the alphabet after the specials).
    expect(tok.encode("3+0=A")).toEqual([5, 12, 2, 13, 14]);
    expect(tok.decode([5, 12, 2, 13, 14, EOS_ID])).toBe("3+0=A");
    expect(tok.decode([5, EOS_ID, PAD_ID], { keepSpecial: true })).toBe("3<eos><pad>");
  });

  it("splits words by greedy longest match", () => {
    const tok = Tokenizer.fromTokens(["a", "ab", "abc", "c", " "]);
    // ids: a=2 ab=3 abc=4 c=5 " "=6; "abcab c" = abc | ab | " " | c
    expect(tok.encode("abcab c")).toEqual([4, 3, 6, 5]);
  });

  it("rejects characters outside the vocabulary, naming the offset", () => {
    const tok = Tokenizer.fromAlphabet("01");
    expect(() => tok.encode("01x")).toThrow(/"x" at offset 2/);
    expect(() => tok.decode([7])).toThrow(/outside the vocabulary/);
  });

  it("rejects duplicate and reserved tokens", () => {
    expect(() => Tokenizer.fromTokens(["a", "a"])).toThrow(/twice/);
    expect(() => Tokenizer.fromTokens(["<eos>"])).toThrow(/reserved/);
    expect(() => Tokenizer.fromTokens([""])).toThrow(/non-empty/);
  });

  it("round-trips through tokenizer.json and reports bad files by name and field", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rlev-tok-"));
    try {
      const tok = Tokenizer.fromAlphabet("0123456789+=[]A");
      const path = join(dir, "tokenizer.json");
      await tok.save(path);
      const back = await Tokenizer.load(path);
      expect(back.tokens).toEqual(tok.tokens);
      expect(JSON.parse(await readFile(path, "utf8")).tokens.slice(0, 3)).toEqual(["<pad>", "<eos>", "0"]);

      await writeFile(path, JSON.stringify({ format: "rlev-tokenizer", version: 1, tokens: ["a", "b"] }));
      const err = await Tokenizer.load(path).catch((e) => e);
      expect(err).toBeInstanceOf(InputError);
      expect(err.message).toContain(path);
      expect(err.message).toContain('field "tokens"');

      await writeFile(path, "{ not json");
      await expect(Tokenizer.load(path)).rejects.toThrow(/invalid JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
