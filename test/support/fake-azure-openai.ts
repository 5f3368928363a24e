import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { selfSignedCert } from './self-signed-cert';

/** One HTTP answer as Azure OpenAI gives it (test/fixtures/azure-openai/*.json), and how late. */
export interface RecordedAnswer {
  status: number;
  headers?: Record<string, string>;
  /** A chat.completion (200) or an error body ({ error: { code, message } }). */
  body: unknown;
  /** Answer this late (ms): past the caller's deadline, the caller has gone when it comes. */
  delayMs?: number;
}

/** One request as the fake received it. */
export interface ChatRequest {
  deployment: string;
  apiVersion: string | null;
  headers: IncomingMessage['headers'];
  body: { messages: Array<{ role: string; content: string }>; [k: string]: unknown };
  /** The whole body as sent: what the model would have seen. */
  raw: string;
  status: number;
}

const FIXTURES = join(__dirname, '..', 'fixtures', 'azure-openai');

/** A recorded answer by its fixture's name (`good-contoso` → test/fixtures/azure-openai/good-contoso.json). */
export const recorded = (name: string): RecordedAnswer => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as RecordedAnswer;

/** A chat.completion whose message is `content`, as Azure OpenAI answers one. */
export const completionOf = (content: string): RecordedAnswer => ({
  status: 200,
  body: { id: 'chatcmpl-fake', object: 'chat.completion', created: 1_770_000_000, model: 'gpt-4o-2024-08-06', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }], usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } },
});

/**
 * Azure OpenAI's chat completions on loopback over HTTPS (a self-signed certificate the client is made to trust):
 * `POST /openai/deployments/<deployment>/chat/completions?api-version=…`. A request needs the `api-key` header with
 * the key, or `Authorization: Bearer <token>` with the token (401 otherwise), and names a known deployment (404).
 * The answer is chosen by the first rule whose matcher fits the last user message; a rule's answers are given in
 * order, the last one repeating. Every request is recorded.
 */
export class FakeAzureOpenAI {
  readonly requests: ChatRequest[] = [];
  /** Requests answered late that have not been answered yet. */
  pending = 0;
  private rules: Array<{ match: (lastUser: string) => boolean; answers: RecordedAnswer[] }> = [];
  private server?: Server;
  private readonly tls = selfSignedCert();

  constructor(readonly access: { deployment: string; apiKey?: string; token?: string }) {}

  get cert(): string {
    return this.tls.cert;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  async start(): Promise<this> {
    this.server = createServer({ cert: this.tls.cert, key: this.tls.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Answer messages that `match` with these answers, in order (the last one repeats). */
  when(match: RegExp | ((lastUser: string) => boolean), ...answers: RecordedAnswer[]): this {
    this.rules.push({ match: typeof match === 'function' ? match : (m) => match.test(m), answers: [...answers] });
    return this;
  }

  reset(): this {
    this.rules = [];
    this.requests.length = 0;
    return this;
  }

  private async handle(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const route = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(url.pathname);
    const send = (answer: RecordedAnswer, request?: ChatRequest) => {
      if (request) request.status = answer.status;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    };
    const error = (status: number, code: string, message: string): RecordedAnswer => ({ status, body: { error: { code, message } } });
    if (req.method !== 'POST' || !route) return send(error(404, '404', 'Resource not found'));
    let body: ChatRequest['body'];
    try {
      body = JSON.parse(raw) as ChatRequest['body'];
    } catch {
      return send(error(400, 'BadRequest', 'The request body is not JSON'));
    }
    const request: ChatRequest = { deployment: decodeURIComponent(route[1]), apiVersion: url.searchParams.get('api-version'), headers: req.headers, body, raw, status: 0 };
    this.requests.push(request);
    const keyed = this.access.apiKey !== undefined && req.headers['api-key'] === this.access.apiKey;
    const bearer = this.access.token !== undefined && req.headers.authorization === `Bearer ${this.access.token}`;
    if (!keyed && !bearer) return send(error(401, '401', 'Access denied due to invalid subscription key or wrong API endpoint.'), request);
    if (request.deployment !== this.access.deployment) return send(error(404, 'DeploymentNotFound', 'The API deployment for this resource does not exist.'), request);
    if (!request.apiVersion) return send(error(404, '404', 'Resource not found'), request);
    const lastUser = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const rule = this.rules.find((r) => r.match(lastUser));
    if (!rule) return send(error(500, 'InternalServerError', 'The fake has no recorded answer for this message'), request);
    const answer = rule.answers.length > 1 ? rule.answers.shift()! : rule.answers[0];
    if (answer.delayMs) {
      this.pending += 1;
      await new Promise((r) => setTimeout(r, answer.delayMs));
      this.pending -= 1;
      if (res.destroyed) return;
    }
    send(answer, request);
  }
}
