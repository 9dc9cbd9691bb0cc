import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import ts from "typescript";

/**
 * The public API as declared: for each entry point of package.json "exports", its exported names
 * (types marked "type "), read from the TypeScript sources. `node --import tsx test/api/public-api.ts
 * --write` rewrites the pinned lists in public-api.json after a deliberate change.
 */

export const root = resolve(import.meta.dirname, "../..");
export const PINNED = resolve(import.meta.dirname, "public-api.json");

/** package.json's subpaths ("rlev", "rlev/rl", ...) with their source entry files. */
export function entryPoints(): Map<string, string> {
  const pkg = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")) as {
    name: string;
    exports: Record<string, unknown>;
  };
  const out = new Map<string, string>();
  for (const [sub, target] of Object.entries(pkg.exports)) {
    if (typeof target !== "object" || target === null) continue;
    const dir = sub === "." ? "" : `${sub.slice(2)}/`;
    out.set(sub === "." ? pkg.name : `${pkg.name}/${sub.slice(2)}`, resolve(root, `src/${dir}index.ts`));
  }
  return out;
}

export function exportedNames(): Record<string, string[]> {
  const entries = entryPoints();
  const program = ts.createProgram([...entries.values()], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
  });
  const checker = program.getTypeChecker();
  const out: Record<string, string[]> = {};
  for (const [name, file] of entries) {
    const source = program.getSourceFile(file);
    const symbol = source && checker.getSymbolAtLocation(source);
    if (!symbol) throw new Error(`no module at ${file}`);
    out[name] = checker
      .getExportsOfModule(symbol)
      .map((s) => {
        const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
        return (target.flags & ts.SymbolFlags.Value) !== 0 ? s.name : `type ${s.name}`;
      })
      .sort((a, b) => a.replace(/^type /, "").localeCompare(b.replace(/^type /, "")));
  }
  return out;
}

if (process.argv.includes("--write")) writeFileSync(PINNED, `${JSON.stringify(exportedNames(), null, 1)}\n`);
