/** An error whose message is safe to show the client, with its HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = status >= 500 ? "server_error" : "invalid_request_error",
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** The JSON error body every rlev server answers with (OpenAI's shape). */
export function errorBody(message: string, type: string): string {
  return JSON.stringify({ error: { message, type } });
}
