import type { Item } from "../data/item.js";
import { writeJsonl } from "../data/jsonl.js";
import { labelString } from "./label.js";
import { userContent } from "./verl.js";

/**
 * OpenRLHF prompt-dataset rows: `--input_key input --label_key label`. The label is a JSON
 * string ({id, reference, answerType, value}) that OpenRLHF passes untouched to the remote
 * reward server (`rlev serve reward`), which needs no dataset to score it.
 */
export interface OpenRlhfRow {
  input: string | Array<{ role: string; content: string }>;
  label: string;
  /** Also kept as plain columns for `--datasource_key` and for people reading the file. */
  datasource: string;
  value: number;
}

export interface OpenRlhfExportOptions {
  /** Write `input` as a chat message list (use with --apply_chat_template). Default false: plain text. */
  chat?: boolean;
  systemPrompt?: string;
  promptTemplate?: string;
  dataSource?: string;
}

export function toOpenRlhfRow(item: Item, opts: OpenRlhfExportOptions = {}): OpenRlhfRow {
  const content = userContent(item, opts.promptTemplate);
  let input: OpenRlhfRow["input"] = content;
  if (opts.chat) {
    input = [];
    if (opts.systemPrompt) input.push({ role: "system", content: opts.systemPrompt });
    input.push({ role: "user", content });
  } else if (opts.systemPrompt) input = `${opts.systemPrompt}\n\n${content}`;
  const slash = item.id.indexOf("/");
  return {
    input,
    label: labelString(item),
    datasource: opts.dataSource ?? (slash > 0 ? item.id.slice(0, slash) : "rlev"),
    value: item.value,
  };
}

export async function exportOpenRlhf(
  items: readonly Item[],
  file: string,
  opts: OpenRlhfExportOptions = {},
): Promise<{ rows: number }> {
  const rows = await writeJsonl(
    file,
    items.map((item) => toOpenRlhfRow(item, opts)),
  );
  return { rows };
}
