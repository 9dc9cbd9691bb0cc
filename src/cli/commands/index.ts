import type { Command } from "commander";
import * as dataCmd from "./data.js";
import * as demoCmd from "./demo.js";
import * as evalCmd from "./eval.js";
import * as experimentCmd from "./experiment.js";
import * as exportCmd from "./export.js";
import * as gradeCmd from "./grade.js";
import * as importCmd from "./import.js";
import * as metricsCmd from "./metrics.js";
import * as reportCmd from "./report.js";
import * as serveCmd from "./serve.js";
import * as sftCmd from "./sft.js";
import * as trainCmd from "./train.js";
import * as valuesCmd from "./values.js";
import * as valuesPredictCmd from "./values-predict.js";
import * as verifyCmd from "./verify.js";

/**
 * Every CLI command is a module of this folder exporting `register(program)`; this list is the
 * only place that knows them all. Each command is a thin shell over the library.
 */
const modules: Array<{ register(program: Command): void }> = [
  exportCmd,
  metricsCmd,
  reportCmd,
  sftCmd,
  trainCmd,
  evalCmd,
  gradeCmd,
  serveCmd,
  valuesPredictCmd,
  verifyCmd,
  dataCmd,
  importCmd,
  valuesCmd,
  demoCmd,
  experimentCmd,
];

export function registerCommands(program: Command): void {
  for (const m of modules) m.register(program);
}
