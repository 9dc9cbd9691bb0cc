import type { Command } from "commander";
import { ItemSchema } from "../../data/item.js";
import { readJsonlAll } from "../../data/jsonl.js";
import { exportOpenRlhf } from "../../export/openrlhf.js";
import { exportVerl } from "../../export/verl.js";
import { estimatorWarning } from "../../rl/value-guard.js";

interface CommonOpts {
  input: string;
  output: string;
  split?: string;
  systemPrompt?: string;
  promptTemplate?: string;
  dataSource?: string;
  estimator?: string;
}

async function loadItems(opts: CommonOpts) {
  // Before any work, so the warning is seen even when the export then fails.
  const warning = opts.estimator === undefined ? null : estimatorWarning(opts.estimator);
  if (warning) process.stderr.write(`rlev: ${warning}\n`);
  const items = await readJsonlAll(opts.input, ItemSchema);
  return opts.split ? items.filter((i) => i.split === opts.split) : items;
}

function common(cmd: Command): Command {
  return cmd
    .requiredOption("--input <file>", "items (JSONL, one Item per line)")
    .requiredOption("--output <file>", "where to write the export")
    .option("--split <name>", "export only items of this split")
    .option("--system-prompt <text>", "a system message put before every prompt")
    .option(
      "--prompt-template <text>",
      'template of the user message; "{prompt}" is replaced by the item prompt',
    )
    .option("--data-source <name>", "data source name of every row (default: the item id's first path part)")
    .option(
      "--estimator <name>",
      "the advantage estimator you will train with (e.g. rloo, grpo, group_norm): warns when it cancels the value",
    );
}

export function register(program: Command): void {
  const exp = program
    .command("export")
    .description("write items in the dataset formats of other RL trainers");
  common(exp.command("verl"))
    .description("verl rows (Parquet, or JSONL when the output ends in .jsonl) with the value in extra_info")
    .option("--ability <name>", "verl's ability column", "math")
    .action(async (opts: CommonOpts & { ability: string }) => {
      const items = await loadItems(opts);
      const r = await exportVerl(items, opts.output, {
        ability: opts.ability,
        systemPrompt: opts.systemPrompt,
        promptTemplate: opts.promptTemplate,
        dataSource: opts.dataSource,
      });
      process.stdout.write(`wrote ${r.rows} verl rows (${r.format}) to ${opts.output}\n`);
    });
  common(exp.command("openrlhf"))
    .description(
      "OpenRLHF prompt data (JSONL: --input_key input --label_key label); the label is a JSON string",
    )
    .option("--chat", "write input as a chat message list (use OpenRLHF's --apply_chat_template)")
    .action(async (opts: CommonOpts & { chat?: boolean }) => {
      const items = await loadItems(opts);
      const r = await exportOpenRlhf(items, opts.output, {
        chat: opts.chat,
        systemPrompt: opts.systemPrompt,
        promptTemplate: opts.promptTemplate,
        dataSource: opts.dataSource,
      });
      process.stdout.write(`wrote ${r.rows} OpenRLHF rows to ${opts.output}\n`);
    });
}
