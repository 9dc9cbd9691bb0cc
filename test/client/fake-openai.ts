import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real loopback server speaking the OpenAI API (chat and completions), for client tests.
 * It answers "What is A+B?" with "... \boxed{S}" where S = A+B, except that it answers S+1
 * (wrong) whenever S is a multiple of 5, so every item's correctness is known in advance.
 * Faults are injected by a plan consulted on every request.
 */
export type Fault =
  | "ok"
  | "500"
  | "429"
  | "503-retry-after"
  | "slow"
  | "drop"
  | "truncate"
  | "bad-json"
  | "400";

export interface FakeServerOptions {
  port?: number;
  /** Chooses the fault of the n-th request (0-based). Default: always ok. */
  plan?: (n: number, prompt: string) => Fault;
  /** Delay of "slow" replies (longer than the client's timeout in tests). */
  slowMs?: number;
  /** Delay of every reply (to make runs long enough to interrupt). */
  delayMs?: number;
  /** Overrides the reply text for a prompt (return undefined for the default). */
  reply?: (prompt: string) => string | undefined;
}

export function expectedSum(prompt: string): number | null {
  const m = /What is (\d+)\+(\d+)\?/.exec(prompt);
  return m ? Number(m[1]) + Number(m[2]) : null;
}

/** The answer the fake model gives: right unless the sum is a multiple of 5. */
export function fakeAnswer(sum: number): number {
  return sum % 5 === 0 ? sum + 1 : sum;
}

export class FakeOpenAI {
  requests = 0;
  okReplies = 0;
  /** Replies sent per prompt (ok ones only). */
  readonly answered = new Map<string, number>();
  /** Every parsed request body, in arrival order (to check what a client sent). */
  readonly bodies: unknown[] = [];
  private server!: Server;
  port = 0;

  constructor(private readonly opts: FakeServerOptions = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = this.opts.port ?? 0): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const n = this.requests++;
      if (req.method === "GET" && req.url === "/v1/models") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ object: "list", data: [{ id: "fake-model", object: "model" }] }));
        return;
      }
      let body: { messages?: Array<{ content: string }>; prompt?: string; model?: string };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res.writeHead(400).end();
        return;
      }
      this.bodies.push(body);
      const chat = req.url === "/v1/chat/completions";
      const prompt = chat ? (body.messages?.at(-1)?.content ?? "") : (body.prompt ?? "");
      const fault = this.opts.plan?.(n, prompt) ?? "ok";
      const sum = expectedSum(prompt);
      const text =
        this.opts.reply?.(prompt) ??
        (sum === null ? "I do not know." : `Adding gives \\boxed{${fakeAnswer(sum)}}`);
      const payload = chat
        ? {
            id: `c${n}`,
            object: "chat.completion",
            model: body.model,
            choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
            usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
          }
        : {
            id: `c${n}`,
            object: "text_completion",
            model: body.model,
            choices: [{ index: 0, text, finish_reason: "stop" }],
            usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
          };
      const ok = () => {
        this.okReplies++;
        this.answered.set(prompt, (this.answered.get(prompt) ?? 0) + 1);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      switch (fault) {
        case "ok":
          if (this.opts.delayMs) return void setTimeout(() => !res.destroyed && ok(), this.opts.delayMs);
          return ok();
        case "500":
          res.writeHead(500, { "content-type": "application/json" });
          return void res.end(JSON.stringify({ error: { message: "internal", type: "server_error" } }));
        case "429":
          res.writeHead(429, { "content-type": "application/json", "retry-after": "0" });
          return void res.end(JSON.stringify({ error: { message: "slow down" } }));
        case "503-retry-after":
          res.writeHead(503, { "retry-after-ms": "20" });
          return void res.end("busy");
        case "400":
          res.writeHead(400, { "content-type": "application/json" });
          return void res.end(JSON.stringify({ error: { message: "bad request: unknown model" } }));
        case "slow":
          setTimeout(() => {
            if (!res.destroyed) ok();
          }, this.opts.slowMs ?? 2000);
          return;
        case "drop":
          return void req.socket.destroy();
        case "truncate": {
          const full = JSON.stringify(payload);
          res.writeHead(200, {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(full),
          });
          res.write(full.slice(0, 10));
          setTimeout(() => req.socket.destroy(), 5);
          return;
        }
        case "bad-json":
          res.writeHead(200, { "content-type": "application/json" });
          return void res.end('{"choices": "nope"}');
      }
    });
  }
}
