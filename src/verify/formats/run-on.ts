/**
 * A completion that runs on past its answer into a new turn it invents, mimicking a few-shot
 * prompt ("… #### 18\n\nQuestion: … Answer: … #### 42") or a chat template ("<|im_start|>user").
 * The answer belongs to the question asked, so the text is cut where the invented turn starts —
 * only when an answer was stated before it, so a response that merely quotes "Question:" keeps
 * its end. Reported for GSM8K few-shot runs of Mistral/Mixtral (sgl-project/sglang PR #29933).
 */
const TURN =
  /\n[ \t]*(?:Question|Problem|Q)[ \t]*[:：]|\n[ \t]*(?:Human|User)[ \t]*:|<\|im_start\|>|<\|user\|>|<\|eot_id\|>/;
const STATED = /####|\\boxed|\\fbox|answer is|answer:|答案|<\/answer>/i;

export function cutRunOn(text: string): string {
  const m = TURN.exec(text);
  if (!m) return text;
  const before = text.slice(0, m.index);
  return STATED.test(before) ? before : text;
}
