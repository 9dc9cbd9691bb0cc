import { Command, CommanderError } from "commander";
import { RlevError } from "../util/errors.js";
import { registerCommands } from "./commands/index.js";

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("rlev")
    .description(
      "Reinforcement Learning with Explicit Human Values: data, values, verification, rewards, training, evaluation",
    )
    .version("0.1.0")
    .option("--verbose", "print stack traces and debug detail on errors")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerCommands(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Runs the CLI and returns the exit code: errors become one line, with a stack trace only under --verbose. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const verbose = argv.includes("--verbose");
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version output exit 0; usage errors were already printed by commander.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof RlevError) {
      process.stderr.write(`rlev: ${err.message}\n`);
      if (verbose && err.stack) process.stderr.write(`${err.stack}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`rlev: ${message}\n`);
    if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write("rlev: (run with --verbose for the stack trace)\n");
    return 1;
  }
}
