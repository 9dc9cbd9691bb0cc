// The layer rules of src/, enforced by `npm run deps` (part of `npm test`); docs/architecture.md
// ("Layers") gives the reasons. Each folder may import only the folders listed before it.
/** The folders of src/, lowest first. */
const LAYERS = [
  "util",
  "data",
  "config",
  "values",
  "verify",
  "metrics",
  "rewards",
  "export",
  "rl",
  "task",
  "model",
  "client",
  "report",
  "eval",
  "train",
  "experiment",
  "serve",
  "cli",
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...LAYERS.slice(0, -1).map((layer, i) => ({
      name: `no-upward-from-${layer}`,
      comment: `src/${layer}/ may import only layers below it: ${LAYERS.slice(0, i).join(", ") || "none"}`,
      severity: "error",
      from: { path: `^src/${layer}/` },
      to: { path: `^src/(${LAYERS.slice(i + 1).join("|")})/` },
    })),
    {
      name: "no-unknown-folder",
      comment: "every folder of src/ has a place in LAYERS (.dependency-cruiser.cjs)",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^src/[^/]+/", pathNot: `^src/(${LAYERS.join("|")})/` },
    },
    {
      name: "no-import-of-the-package-index",
      comment: "src/index.ts is the public entry point; code inside src/ imports the module itself",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^src/index\\.ts$" },
    },
    {
      name: "no-circular",
      comment: "no import cycles, inside a folder or across folders",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    includeOnly: "^src/",
    // Type-only imports count: a layer that names another's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
