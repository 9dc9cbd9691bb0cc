// Entry for running the CLI from source (tests, development): `node --import tsx src/cli/run-main.ts ...`.
import { main } from "./main.js";

main(process.argv).then((code) => {
  process.exitCode = code;
});
