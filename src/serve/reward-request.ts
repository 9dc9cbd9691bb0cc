import type { AnswerType, Item } from "../data/item.js";
import { type RewardLabel, RewardLabelSchema } from "../export/label.js";
import { HttpError } from "./http.js";

/**
 * OpenRLHF's remote-reward request (docs/method.md#interop-contracts): `{query, prompts, labels}`, batched as lists
 * (what OpenRLHF sends) or one sample as plain values. `query` is prompt + response decoded
 * with special tokens kept.
 */
export interface RewardRequest {
  /** True when the request was one sample (scalars in, scalars out). */
  single: boolean;
  queries: string[];
  prompts: string[];
  labels: unknown[];
}

/** Validates the body's shape; every failure is a 400 whose message names the field. */
export function parseRewardRequest(body: unknown): RewardRequest {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new HttpError(400, 'request body must be a JSON object {"query", "prompts", "labels"}');
  const b = body as Record<string, unknown>;
  if (typeof b.query === "string") {
    if (b.prompts !== undefined && b.prompts !== null && typeof b.prompts !== "string")
      throw new HttpError(400, '"prompts" must be a string when "query" is a string');
    return {
      single: true,
      queries: [b.query],
      prompts: [typeof b.prompts === "string" ? b.prompts : ""],
      labels: [b.labels],
    };
  }
  if (!Array.isArray(b.query)) throw new HttpError(400, '"query" must be a list of strings (or one string)');
  const n = b.query.length;
  for (let i = 0; i < n; i++)
    if (typeof b.query[i] !== "string") throw new HttpError(400, `"query[${i}]" must be a string`);
  let prompts: string[];
  if (b.prompts === undefined || b.prompts === null) prompts = new Array(n).fill("");
  else {
    if (!Array.isArray(b.prompts)) throw new HttpError(400, '"prompts" must be a list of strings');
    if (b.prompts.length !== n)
      throw new HttpError(400, `"prompts" has ${b.prompts.length} entries but "query" has ${n}`);
    for (let i = 0; i < n; i++)
      if (typeof b.prompts[i] !== "string") throw new HttpError(400, `"prompts[${i}]" must be a string`);
    prompts = b.prompts as string[];
  }
  if (!Array.isArray(b.labels)) throw new HttpError(400, '"labels" must be a list (one label per query)');
  if (b.labels.length !== n)
    throw new HttpError(400, `"labels" has ${b.labels.length} entries but "query" has ${n}`);
  return { single: false, queries: b.query as string[], prompts, labels: b.labels };
}

export interface ExtractedResponse {
  response: string;
  /** False when the prompt was not found in the query (the whole query is then verified). */
  promptFound: boolean;
}

/**
 * The response part of a query: what follows the prompt (the first occurrence, so left padding
 * before the prompt is skipped), with trailing special tokens and whitespace removed.
 */
export function extractResponse(
  query: string,
  prompt: string,
  stripTokens: readonly string[],
): ExtractedResponse {
  let response = query;
  let promptFound = prompt === "";
  if (prompt !== "") {
    const at = query.indexOf(prompt);
    if (at >= 0) {
      response = query.slice(at + prompt.length);
      promptFound = true;
    }
  }
  return { response: stripTrailingTokens(response, stripTokens), promptFound };
}

export function stripTrailingTokens(text: string, tokens: readonly string[]): string {
  let end = text.length;
  for (;;) {
    while (end > 0 && /\s/.test(text[end - 1])) end--;
    let stripped = false;
    for (const t of tokens) {
      if (t.length > 0 && end >= t.length && text.startsWith(t, end - t.length)) {
        end -= t.length;
        stripped = true;
        break;
      }
    }
    if (!stripped) break;
  }
  return text.slice(0, end);
}

/** What the server needs to score one response. */
export interface ResolvedLabel {
  id?: string;
  reference: string | string[];
  answerType: AnswerType;
  /** Undefined when the label carries none (allowed only for the correctness reward). */
  value?: number;
  /** The item's difficulty (from the label or the loaded item); uniform-by-difficulty needs it. */
  difficulty?: number;
  /** The dataset item when the label was resolved through one. */
  item?: Item;
}

export interface LabelContext {
  /** Items loaded at start, by id (labels may be just an id). */
  byId?: ReadonlyMap<string, Item>;
  defaultAnswerType: AnswerType;
  /** Whether the configured reward needs a value for every sample. */
  needsValue: boolean;
}

function fromItem(item: Item): ResolvedLabel {
  return {
    id: item.id,
    reference: item.reference,
    answerType: item.answerType,
    value: item.value,
    ...(item.difficulty !== undefined ? { difficulty: item.difficulty } : {}),
    item,
  };
}

/**
 * Resolves one label: a JSON object (or a JSON string of one) with the reference and value,
 * an object or string naming a dataset id, or — for the correctness reward only — a bare
 * reference string. Fields given in the label win over the dataset's.
 */
export function resolveLabel(raw: unknown, index: number, ctx: LabelContext): ResolvedLabel {
  const where = `labels[${index}]`;
  let label: unknown = raw;
  if (typeof raw === "string") {
    const t = raw.trimStart();
    if (t.startsWith("{")) {
      try {
        label = JSON.parse(raw);
      } catch {
        throw new HttpError(400, `${where}: looks like JSON but does not parse`);
      }
    } else {
      const item = ctx.byId?.get(raw);
      if (item) return fromItem(item);
      if (ctx.needsValue)
        throw new HttpError(
          400,
          `${where}: "${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}" is neither a JSON label nor a known item id` +
            (ctx.byId ? "" : " (no dataset was loaded with --data)"),
        );
      return { reference: raw, answerType: ctx.defaultAnswerType };
    }
  }
  if (label === null || typeof label !== "object" || Array.isArray(label))
    throw new HttpError(
      400,
      `${where}: must be a JSON object {reference, value, answerType, id} or a string`,
    );
  const obj = label as Record<string, unknown>;
  const base = typeof obj.id === "string" ? ctx.byId?.get(obj.id) : undefined;
  if (obj.reference === undefined) {
    if (base)
      return {
        ...fromItem(base),
        ...(typeof obj.value === "number" ? { value: obj.value } : {}),
        ...(typeof obj.difficulty === "number" ? { difficulty: obj.difficulty } : {}),
      };
    throw new HttpError(
      400,
      typeof obj.id === "string"
        ? `${where}: unknown id "${obj.id}" and no "reference"`
        : `${where}: missing "reference" (or an "id" of a loaded item)`,
    );
  }
  const parsed = RewardLabelSchema.safeParse(obj);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, `${where}.${issue.path.join(".")}: ${issue.message}`);
  }
  const l: RewardLabel = parsed.data;
  const value = l.value ?? base?.value;
  if (value === undefined && ctx.needsValue)
    throw new HttpError(400, `${where}: missing "value" (a number in (0, 1])`);
  return {
    id: l.id,
    reference: l.reference,
    answerType: l.answerType ?? base?.answerType ?? ctx.defaultAnswerType,
    value,
    difficulty: l.difficulty ?? base?.difficulty,
    item: base,
  };
}
