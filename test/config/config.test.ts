import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigSchema, loadConfig, parseConfig, parseOverrides } from "../../src/config/index.js";
import { InputError, UsageError } from "../../src/util/errors.js";
import { jsonErrorOffset } from "../../src/util/json.js";

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "rlev-config-"));
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

describe("config schema", () => {
  it("fills every section with its defaults from an empty object", () => {
    const cfg = parseConfig({});
    // The paper's defaults (docs/method.md#rewards to #policy-loss).
    expect(cfg.reward.kind).toBe("rlev");
    expect(cfg.reward.alpha).toBe(10);
    expect(cfg.reward.clip).toBe(1);
    expect(cfg.rl.grpoEps).toBe(1e-6);
    expect(cfg.rl.clipLow).toBe(0.2);
    expect(cfg.rl.clipHigh).toBe(0.2);
    expect(cfg.rl.klCoef).toBe(0.001);
    expect(cfg.rl.aggregation).toBe("token-mean");
    // Parsing the parsed config again changes nothing: defaults live in one place.
    expect(ConfigSchema.parse(cfg)).toEqual(cfg);
  });

  it("applies key=value overrides over a file, JSON-typed", async () => {
    const file = await tempFile("c.json", JSON.stringify({ seed: 3, rl: { estimator: "grpo" } }));
    const cfg = await loadConfig(file, ["rl.estimator=rloo", "reward.alpha=5", "seed=7"]);
    expect(cfg.seed).toBe(7);
    expect(cfg.rl.estimator).toBe("rloo");
    expect(cfg.reward.alpha).toBe(5);
  });

  it("names the file and the field of an invalid value", async () => {
    const file = await tempFile("bad.json", JSON.stringify({ reward: { alpha: -1 } }));
    const err = await loadConfig(file).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain(file);
    expect(err.message).toContain('field "reward.alpha"');
    expect(err.exitCode).toBe(2);
  });

  it("rejects unknown keys (a typo never silently becomes a default)", async () => {
    const err = await loadConfig(undefined, ["rl.estimater=rloo"]).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/estimater/);
  });

  it("gives the line of a JSON syntax error", async () => {
    const file = await tempFile("syntax.json", '{\n  "seed": 1,\n  "rl": { "estimator": }\n}\n');
    const err = await loadConfig(file).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain(`${file}:3`);
  });

  it("rejects malformed overrides with a usage error", () => {
    expect(() => parseOverrides(["rl.estimator"])).toThrow(UsageError);
    expect(() => parseOverrides(["=3"])).toThrow(UsageError);
    expect(() => parseOverrides(["seed=1", "seed.x=2"])).toThrow(UsageError);
  });

  it("fuzz: arbitrary JSON documents and overrides either parse or raise a one-line rlev error", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rlev-config-fuzz-"));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify({ rl: v, reward: v })),
        ),
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
        async (text, overrides) => {
          const file = join(dir, `f${n++}.json`);
          await writeFile(file, text);
          try {
            const cfg = await loadConfig(file, overrides);
            expect(ConfigSchema.parse(cfg)).toEqual(cfg);
          } catch (err) {
            expect(err instanceof InputError || err instanceof UsageError).toBe(true);
            expect((err as Error).message).not.toContain("\n");
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("JSON syntax error location", () => {
  it("finds the offending character of hand-made documents", () => {
    // offsets counted by hand
    expect(jsonErrorOffset('{"a": }')).toBe(6);
    expect(jsonErrorOffset("[1, 2,]")).toBe(6);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset('{"a": tru}')).toBe(9);
    expect(jsonErrorOffset('{"a": [1, {"b": 2}]}')).toBe(-1);
    expect(jsonErrorOffset('"abc')).toBe(4);
  });

  it("agrees with JSON.parse on validity for arbitrary strings and mutated JSON", () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.string({ maxLength: 2 }))
      .map(([j, at, ins]) => j.slice(0, at % (j.length + 1)) + ins + j.slice(at % (j.length + 1)));
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), mutated), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(jsonErrorOffset(text) === -1).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });

  it("survives deep nesting without a stack overflow", () => {
    expect(jsonErrorOffset("[".repeat(200_000))).toBe(200_000);
    expect(jsonErrorOffset(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toBe(-1);
  });
});
