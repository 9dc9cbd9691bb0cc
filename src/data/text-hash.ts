import { createHash } from "node:crypto";

function sha1Prefix(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex").slice(0, 12);
}

/**
 * A short fingerprint of a question's text: SHA-1 of the text with all whitespace removed, first
 * 12 hex digits (the `text_hash` of the GAOKAO data README). OCR'd exam text differs in spacing
 * between copies of the same question, so whitespace is ignored.
 */
export function textHash(text: string): string {
  return sha1Prefix(text.replace(/\s+/g, ""));
}

/**
 * A looser fingerprint for finding copies of one question: whitespace, punctuation and symbols
 * are all ignored, because OCR copies also differ in stray marks (the 2020 新课标II 语文 paper,
 * listed twice upstream, has one copy with extra "．" emphasis dots). Used for within-exam
 * duplicates and for grouping train/test splits.
 */
export function duplicateKey(text: string): string {
  return sha1Prefix(text.replace(/[\s\p{P}\p{S}]+/gu, ""));
}
