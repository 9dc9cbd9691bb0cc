// The claim logic lives in claims/ (issue 15's split); this module keeps the old import path.
export * from "./claims/decisive.js";
export * from "./claims/identity.js";
export * from "./claims/judge.js";
export * from "./claims/paper.js";
export * from "./claims/statistics.js";
export * from "./claims/text.js";
