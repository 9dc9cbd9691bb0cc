/**
 * A completion that runs on past its answer into a new turn it invents, mimicking a few-shot
 * prompt ("… #### 18\n\nQuestion: … Answer: … #### 42") or a chat template ("<|im_start|>user").
 * The answer belongs to the question asked, so the text is cut where the invented turn starts —
 * only when an answer was stated before it, so a response that merely quotes "Question:" keeps
 * its end. Reported for GSM8K few-shot runs of Mistral/Mixtral (sgl-project/sglang PR #29933).
 */
/** Headings that open a new turn at a line start ("Question:", "Q:", "User:"). */
const LINE_HEADS = ["Question", "Problem", "Q", "Human", "User"];
/** Chat-template tokens that open a new turn anywhere. */
const TOKENS = ["<|im_start|>", "<|user|>", "<|eot_id|>"];
const STATED = /####|\\boxed|\\fbox|answer is|answer:|答案|<\/answer>/i;

/** Where the first invented turn starts, or −1. Native substring scans: linear and fast. */
function firstTurn(text: string): number {
  let first = -1;
  for (const token of TOKENS) {
    const at = text.indexOf(token);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  for (const head of LINE_HEADS) {
    for (let at = text.indexOf(head); at >= 0; at = text.indexOf(head, at + 1)) {
      if (first >= 0 && at >= first) break;
      // Only at a line start (after spaces), followed by a colon.
      let b = at - 1;
      while (b >= 0 && (text[b] === " " || text[b] === "\t")) b--;
      if (b < 0 || text[b] !== "\n") continue;
      let a = at + head.length;
      while (text[a] === " " || text[a] === "\t") a++;
      if (text[a] === ":" || text[a] === "：") {
        first = b;
        break;
      }
    }
  }
  return first;
}

export function cutRunOn(text: string): string {
  const at = firstTurn(text);
  if (at < 0) return text;
  const before = text.slice(0, at);
  return STATED.test(before) ? before : text;
}
