import type { Agent } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GPTTokenizer, OpenAIModel, PromptManager, type Memory } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Fetch } from 'openai/core';
import { fetch as openaiFetch } from 'openai/_shims/index';

/** The prompts (`<name>/config.json` + `skprompt.txt`): beside dist/main.js when built, prompts/ in a checkout. */
export const PROMPTS_DIR = existsSync(join(__dirname, 'prompts')) ? join(__dirname, 'prompts') : join(__dirname, '..', '..', '..', 'prompts');

/** The Azure OpenAI REST API version DealDesk speaks (GA; JSON mode needs 2023-12-01-preview or later). */
export const AZURE_OPENAI_API_VERSION = '2024-06-01';

export interface AzureOpenAIAccess {
  endpoint: string;
  deployment: string;
  /** The resource's key (`api-key` header), or a bearer token for https://cognitiveservices.azure.com/.default. */
  auth: { apiKey: string } | { token: () => Promise<string> };
  /** A call, a wait for Retry-After and a second try included, ends within this, or sooner with the turn's signal. */
  deadlineMs: number;
  /** The HTTP agent the client connects with (a test's trust in its fake's certificate); the client's own otherwise. */
  httpAgent?: Agent;
}

/** What came of asking: the answer's text, or why there is none (the metric's outcome and the log line's reason). */
export type Completion = { outcome: 'ok'; text: string } | { outcome: 'throttled' | 'timeout' | 'error' | 'tooLong'; reason: string };

/** Retry-After (seconds or an HTTP date) or retry-after-ms, in ms; undefined when absent or unreadable. */
function retryAfterMs(headers: Headers): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const text = headers.get('retry-after');
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** The prompt's variables (`{{$name}}`) and the user's input (`temp.input`): all the model is given, read-only. */
class PromptVariables implements Memory {
  constructor(private readonly values: Readonly<Record<string, string>>) {}
  private nameOf = (path: string) => path.replace(/^temp\./, '');
  hasValue = (path: string) => Object.hasOwn(this.values, this.nameOf(path));
  getValue = <T = unknown>(path: string) => (this.hasValue(path) ? this.values[this.nameOf(path)] : undefined) as T;
  setValue = () => undefined;
  deleteValue = () => undefined;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** The promise's outcome, or undefined once the signal aborts first. */
const untilAborted = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return resolve(undefined);
    signal.addEventListener('abort', () => resolve(undefined), { once: true });
    promise.then(resolve, reject);
  });

/**
 * Azure OpenAI chat completions through teams-ai's OpenAIModel, with a prompt PromptManager loads from PROMPTS_DIR.
 * Used without ActionPlanner: a planner runs actions in a turn's state with the app's handlers, and the readers must
 * not be able to act at all; its repair loop would spend the turn's budget on further rounds. Each call builds its
 * model (a client is cheap) so the call's deadline is the client's timeout and its fetch's signal, with no retries of
 * its own: a 429 is tried once more only when its Retry-After ends within the deadline.
 */
export class AzureChatModel {
  private readonly prompts = new PromptManager({ promptsFolder: PROMPTS_DIR });
  private readonly tokenizer = new GPTTokenizer();

  constructor(private readonly access: AzureOpenAIAccess) {}

  async complete(prompt: string, variables: Readonly<Record<string, string>>, signal: AbortSignal): Promise<Completion> {
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(this.access.deadlineMs)]);
    const endsAt = Date.now() + this.access.deadlineMs;
    const template = await this.prompts.getPrompt(prompt);
    for (let attempt = 1; ; attempt++) {
      const seen: { status?: number; retryAfterMs?: number } = {};
      const fetch: Fetch = async (url, init) => {
        const response = await openaiFetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal as AbortSignal, deadline]) : deadline });
        seen.status = response.status;
        seen.retryAfterMs = retryAfterMs(response.headers as unknown as Headers);
        return response;
      };
      const { auth, endpoint, deployment, httpAgent } = this.access;
      const model = new OpenAIModel({
        azureEndpoint: endpoint,
        azureDefaultDeployment: deployment,
        azureApiVersion: AZURE_OPENAI_API_VERSION,
        ...('apiKey' in auth ? { azureApiKey: auth.apiKey } : { azureADTokenProvider: auth.token }),
        useSystemMessages: true,
        clientOptions: { maxRetries: 0, timeout: Math.max(1, endsAt - Date.now()), fetch, ...(httpAgent ? { httpAgent } : {}) },
      });
      // No turn runs here: the model is given no TurnContext (nothing in these prompts calls a function that would use one).
      const done = model.completePrompt(undefined as unknown as TurnContext, new PromptVariables(variables), this.prompts, this.tokenizer, template);
      const response = await untilAborted(done, deadline);
      if (!response) return { outcome: 'timeout', reason: signal.aborted ? "the turn's budget ran out" : `no answer within ${this.access.deadlineMs} ms` };
      if (response.status === 'success') return { outcome: 'ok', text: typeof response.message?.content === 'string' ? response.message.content : '' };
      if (response.status === 'too_long') return { outcome: 'tooLong', reason: response.error?.message ?? 'prompt too long' };
      if (response.status !== 'rate_limited') return { outcome: deadline.aborted ? 'timeout' : 'error', reason: response.error?.message ?? response.status };
      const wait = seen.retryAfterMs;
      if (attempt > 1 || wait === undefined || Date.now() + wait >= endsAt - 250) {
        return { outcome: 'throttled', reason: `429 with Retry-After ${wait === undefined ? 'absent' : `${Math.ceil(wait)} ms`}, ${Math.max(0, endsAt - Date.now())} ms left` };
      }
      await sleep(wait, deadline);
      if (deadline.aborted) return { outcome: 'timeout', reason: 'the deadline came while waiting for Retry-After' };
    }
  }
}
