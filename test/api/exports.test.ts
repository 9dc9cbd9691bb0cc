import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { entryPoints, exportedNames, PINNED, root } from "./public-api.js";

// The public API is chosen: each entry point exports exactly the names pinned in public-api.json.
// A change to it is deliberate: rewrite the pin with `node --import tsx test/api/public-api.ts --write`.

const pinned = JSON.parse(readFileSync(PINNED, "utf8")) as Record<string, string[]>;
const actual = exportedNames();

describe("public API", () => {
  it("has the pinned entry points", () => {
    expect([...entryPoints().keys()].sort()).toEqual(Object.keys(pinned).sort());
  });

  for (const entry of Object.keys(pinned))
    it(`${entry} exports exactly its pinned names`, () => {
      const want = new Set(pinned[entry]);
      const got = new Set(actual[entry] ?? []);
      expect({
        added: [...got].filter((n) => !want.has(n)),
        removed: [...want].filter((n) => !got.has(n)),
      }).toEqual({
        added: [],
        removed: [],
      });
    });

  it("keeps internals out of every entry point", () => {
    const internals = [
      "acquireRunLock",
      "LOCK_FILE",
      "latestCheckpoint",
      "saveStepCheckpoint",
      "textHash",
      "duplicateKey",
      "escapeXml",
      "niceDomain",
      "seriesColor",
      "startServer",
      "installWorkerAdapter",
      "prepareExprTokens",
      "writeFileAtomic",
    ];
    for (const [entry, names] of Object.entries(actual))
      expect(
        names.filter((n) => internals.includes(n.replace(/^type /, ""))),
        entry,
      ).toEqual([]);
  });

  it("exports every layer's names from the package root too", () => {
    const rootNames = new Set(actual.rlev);
    for (const [entry, names] of Object.entries(actual))
      expect(
        names.filter((n) => !rootNames.has(n)),
        entry,
      ).toEqual([]);
  });

  it("exports every name the documentation imports from it", () => {
    const docs = ["README.md", "CONTRIBUTING.md", ...readdirSync(join(root, "docs")).map((f) => `docs/${f}`)];
    const missing: string[] = [];
    for (const doc of docs.filter((d) => d.endsWith(".md"))) {
      const text = readFileSync(join(root, doc), "utf8");
      for (const m of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"(rlev(?:\/[a-z]+)?)"/g)) {
        const names = new Set((actual[m[2]] ?? []).map((n) => n.replace(/^type /, "")));
        for (const raw of m[1].split(",")) {
          const name = raw
            .trim()
            .replace(/^type /, "")
            .split(" as ")[0];
          if (name && !names.has(name)) missing.push(`${doc}: ${name} from ${m[2]}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
