// OpenAI-compatible endpoint client: requests with retries, the response cache, value prediction.
export { type CacheRecord, ResponseCache } from "./cache.js";
export {
  type GenerateAllOptions,
  type GenerationJob,
  generateAll,
  jobsFor,
  type PromptSettings,
} from "./generate.js";
export { type EndpointJudgeOptions, endpointJudge } from "./judge.js";
export {
  type ChatMessage,
  type ClientOptions,
  EndpointError,
  type Generation,
  type GenerationRequest,
  OpenAIClient,
  type RetryPolicy,
  type SamplingParams,
} from "./openai.js";
export {
  runValuePrediction,
  type ValuePredictionOptions,
  type ValuePredictionResult,
} from "./predict-values.js";
