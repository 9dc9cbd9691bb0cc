import { describe, expect, it } from "vitest";
import type { VerifyInput } from "../../src/verify/types.js";
import { verifyAnswer } from "../../src/verify/verifiers.js";

/**
 * Real outputs from public evaluation projects, with the verdict their reports arrive at after
 * reading the response. Kept small; each names its source and license. Where a report describes
 * an output without quoting it whole, the case keeps the reported shape and values and is marked
 * "shape".
 */
interface PublicOutput extends VerifyInput {
  source: string;
  correct: boolean;
}

const OUTPUTS: PublicOutput[] = [
  {
    // OpenLMLab/GAOKAO-Bench README.md (Apache-2.0): GPT-4's answer to a 2010s history item, quoted.
    source: "OpenLMLab/GAOKAO-Bench README.md, History MCQ example (Apache-2.0)",
    reference: "C",
    answerType: "single_choice",
    response:
      "【解析】\n西周时期实行的分封制度是指周王朝把自己的领土划分成诸侯国，由周王封授给亲戚、功臣等人，以维护王权，加强中央集权。这些封国的名称多以地理特征、山川、河流、国都等命名，如鲁、卫、楚、秦等。因此，本题考查的是哪个省、自治区的简称源自西周封国国名，根据选项，可以排除D选项，因为广东、广西的简称并非源自西周封国国名。再根据中国地理位置和历史文化背景，可以得出答案。\n【答案】C <eoa>",
    correct: true,
  },
  {
    // The benchmark's worked solution for the same item, quoted from the same README.
    source: "OpenLMLab/GAOKAO-Bench README.md, the item's analysis (Apache-2.0)",
    reference: "C",
    answerType: "single_choice",
    response:
      "西周分封的诸侯国主要有鲁齐燕卫宋晋 。A项河南的简称是豫 ，河北的\n简称是冀； B项湖南的简称是湘，湖北的简称是鄂； D项广东的简称是粤，\n广西的简称是桂。其简称都不是源自西周封国国名， 故排除 ABD三项。  \nC项山东的简称是鲁 ，山西的简称是晋 ，其简称都是源自西周封国国名 。故C项\n正确。  \n故选： C。\n",
    correct: true,
  },
  {
    // shape: sgl-project/sglang PR #29933 (Apache-2.0): few-shot GSM8K completions of Mixtral run on
    // into invented "Question:/Answer:" pairs after the real answer; the report counts them correct.
    source: "sgl-project/sglang PR #29933, run-on GSM8K completion (shape; Apache-2.0)",
    reference: "18",
    answerType: "number",
    response:
      "She sells 16 - 3 - 4 = 9 eggs a day, for 9 * 2 = 18 dollars.\n#### 18\n\nQuestion: A farmer has 12 cows and buys 30 more. How many cows?\nAnswer: 12 + 30 = 42\n#### 42",
    correct: true,
  },
  {
    // shape: EleutherAI/lm-evaluation-harness issue #3214 (MIT): a prose answer with a currency sign and
    // cents, judged wrong by the flexible-extract filter and right by the issue.
    source: "EleutherAI/lm-evaluation-harness issue #3214 (shape; MIT)",
    reference: "29",
    answerType: "number",
    response: "Adding the subs, the fries and the tip, the total cost of Rory's delivery order is $29.00.",
    correct: true,
  },
  {
    // shape: open-compass/opencompass PR #2426 (Apache-2.0): comma-formatted money in GSM8K answers.
    source: "open-compass/opencompass PR #2426 (shape; Apache-2.0)",
    reference: "70000",
    answerType: "number",
    response:
      "The new value is $80,000 + $120,000 = $200,000. Josh invested $130,000, so his profit is $200,000 - $130,000 = $70,000.",
    correct: true,
  },
  {
    // shape: google-deepmind/proeval PR #19 (Apache-2.0): a signed answer after "####" must keep its sign.
    source: "google-deepmind/proeval PR #19 (shape; Apache-2.0)",
    reference: "#### -3",
    answerType: "number",
    response: "The temperature goes from 2 to -3 degrees.\n#### 3",
    correct: false,
  },
];

describe("real outputs from public evaluation projects", () => {
  for (const { source, correct, ...input } of OUTPUTS)
    it(`${source} → ${correct}`, () => {
      expect(verifyAnswer(input).correct).toBe(correct);
    });
});
