// HTTP servers: the OpenRLHF reward server, the OpenAI-compatible policy server, their HTTP core.
export * from "./http.js";
export * from "./load-test.js";
export * from "./metrics.js";
export * from "./policy-server.js";
export * from "./reward-request.js";
export * from "./reward-scorer.js";
export * from "./reward-server.js";
