import { afterEach, describe, expect, it, vi } from "vitest";
import { interruptOnSigint } from "../../src/cli/commands/run-common.js";

describe("Ctrl-C handling of a training command", () => {
  const before = process.listeners("SIGINT");
  afterEach(() => {
    for (const l of process.listeners("SIGINT")) if (!before.includes(l)) process.off("SIGINT", l);
    vi.restoreAllMocks();
  });

  it("aborts the run on the first SIGINT and exits 130 on the second", () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const interrupt = interruptOnSigint();
    process.emit("SIGINT");
    expect(interrupt.signal.aborted).toBe(true);
    expect(exit).not.toHaveBeenCalled();
    expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/saving a checkpoint/);
    process.emit("SIGINT");
    expect(exit).toHaveBeenCalledWith(130);
    interrupt.dispose();
  });

  // A SIGINT between the run's return and the process's exit used to hit Node's default action
  // (killed by the signal, no exit code): seen once in the crash test.
  it("after dispose, a SIGINT is reported instead of killing the process; a second exits 130", () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const interrupt = interruptOnSigint();
    interrupt.dispose();
    interrupt.dispose(); // idempotent: one late handler
    expect(process.listeners("SIGINT").length).toBe(before.length + 1);
    process.emit("SIGINT");
    expect(exit).not.toHaveBeenCalled();
    expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/after the run had returned/);
    process.emit("SIGINT");
    expect(exit).toHaveBeenCalledWith(130);
  });
});
