import { DirectoryError, isDirectoryError } from '../ports/directory.port';
import type { Logger } from '../ports/logger.port';
import { parseRetryAfter } from '../bot/retry-after';
import { recordGraphRequest } from '../metrics/metrics';

export interface GraphClientOptions {
  /** GRAPH_URL, e.g. https://graph.microsoft.com/v1.0 */
  baseUrl: string;
  /** An app-only access token for Graph (cached and renewed by the credential). */
  token: (signal: AbortSignal) => Promise<string>;
  /** Every call, with its retries and its token, ends within this many ms (GRAPH_DEADLINE_MS). */
  deadlineMs: number;
  logger: Logger;
  random?: () => number;
}

export interface GraphAnswer<T> {
  status: number;
  body: T | undefined;
}

/** 5xx, 408 and network errors are tried again, this many times at most (within the deadline). */
const MAX_ATTEMPTS = 4;
const BASE_BACKOFF_MS = 200;

/**
 * A small fetch-based Microsoft Graph client with the failure handling of the Teams connector's: a 429 waits its
 * Retry-After (or a backoff), 5xx/408/network errors back off with jitter, a bounded number of tries, and all of it
 * within one deadline: a call that cannot finish in time fails as `throttled`, `unavailable` or `timeout` rather
 * than holding a turn. A 403 is `forbidden`, naming the permission the call needs. 404 is answered, not thrown.
 */
export class GraphClient {
  private readonly random: () => number;

  constructor(private readonly options: GraphClientOptions) {
    this.random = options.random ?? Math.random;
  }

  /** `path` is relative to GRAPH_URL ("/users?…"), or an absolute `@odata.nextLink` on the same host. */
  async call<T>(method: 'GET' | 'POST', path: string, permission: string, init: { body?: unknown; headers?: Record<string, string> } = {}): Promise<GraphAnswer<T>> {
    const url = this.urlOf(path);
    const deadline = Date.now() + this.options.deadlineMs;
    for (let attempt = 1; ; attempt++) {
      const signal = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
      let response: Response;
      try {
        const token = await this.options.token(signal);
        response = await fetch(url, {
          method,
          signal,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
          body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
        });
      } catch (e) {
        // Entra ID refused the bot's credentials (graph-credential.ts): trying again asks the same question.
        if (isDirectoryError(e)) throw e;
        if (signal.aborted || Date.now() >= deadline) throw new DirectoryError('timeout', `Microsoft Graph did not answer ${method} ${pathOf(url)} within ${this.options.deadlineMs} ms`);
        recordGraphRequest(undefined);
        if (attempt >= MAX_ATTEMPTS) throw new DirectoryError('unavailable', `Microsoft Graph could not be reached: ${(e as Error).message}`);
        await this.pause(this.backoff(attempt), deadline, 'unavailable', `Microsoft Graph could not be reached: ${(e as Error).message}`);
        continue;
      }
      recordGraphRequest(response.status);
      if (response.ok || response.status === 404 || response.status === 409) {
        const text = await response.text();
        return { status: response.status, body: text ? (JSON.parse(text) as T) : undefined };
      }
      const detail = await errorDetail(response);
      if (response.status === 403) {
        throw new DirectoryError('forbidden', `Microsoft Graph refused ${method} ${pathOf(url)} (403${detail}): the app needs the ${permission} application permission, with admin consent`, permission, 403);
      }
      if (response.status === 429) {
        const wait = parseRetryAfter(response.headers.get('retry-after')) ?? this.backoff(attempt);
        this.options.logger.debug({ path: pathOf(url), retryAfterMs: wait, attempt }, 'Microsoft Graph throttled a request');
        await this.pause(wait, deadline, 'throttled', `Microsoft Graph throttled ${method} ${pathOf(url)} and asked to wait ${wait} ms, longer than the time left`);
        continue;
      }
      const transient = response.status >= 500 || response.status === 408;
      if (!transient || attempt >= MAX_ATTEMPTS) {
        throw new DirectoryError('unavailable', `Microsoft Graph answered ${method} ${pathOf(url)} with ${response.status}${detail}${transient ? ` (gave up after ${attempt} attempts)` : ''}`, undefined, response.status);
      }
      await this.pause(this.backoff(attempt), deadline, 'unavailable', `Microsoft Graph answered ${response.status}${detail} and there is no time left to try again`);
    }
  }

  private urlOf(path: string): string {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    if (!/^https?:\/\//i.test(path)) return `${base}${path.startsWith('/') ? '' : '/'}${path}`;
    // A next link is followed only on Graph's own host: a token is never sent anywhere else.
    if (new URL(path).origin !== new URL(base).origin) throw new DirectoryError('unavailable', `Microsoft Graph sent a next link to another host (${new URL(path).origin})`);
    return path;
  }

  private backoff(attempt: number): number {
    return Math.floor(this.random() * BASE_BACKOFF_MS * 2 ** (attempt - 1)) + 50;
  }

  private async pause(ms: number, deadline: number, failure: 'throttled' | 'unavailable', why: string): Promise<void> {
    if (Date.now() + ms >= deadline) throw new DirectoryError(failure, why);
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

const pathOf = (url: string): string => new URL(url).pathname;

/** Graph's error code, when it gave one: " InsufficientPrivileges: …". */
async function errorDetail(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown } };
    return typeof body.error?.code === 'string' ? `, ${body.error.code.slice(0, 80)}` : '';
  } catch {
    return '';
  }
}
