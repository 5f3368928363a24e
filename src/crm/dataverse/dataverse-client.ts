import { parseRetryAfter } from '../../bot/retry-after';
import { CrmSendError } from '../../ports/crm-target.port';
import { recordDataverseRequest } from '../../metrics/metrics';

export interface DataverseClientOptions {
  /** DATAVERSE_URL, the environment's root, e.g. https://contoso.crm4.dynamics.com */
  url: string;
  /**
   * An access token for the environment (scope `<DATAVERSE_URL>/.default`), cached by the credential.
   * `fresh` asks for a new one: the environment answered 401 to the cached one.
   */
  token: (signal: AbortSignal, fresh?: boolean) => Promise<string>;
  /** One request (with its one 401 retry) ends within this many ms. */
  timeoutMs: number;
}

export interface DataverseAnswer<T> {
  status: number;
  body: T | undefined;
  /** The record's `ETag` header (also in the body as `@odata.etag`), when the answer has one. */
  etag?: string;
  /** `OData-EntityId` of a created record (a POST without `return=representation`). */
  entityId?: string;
}

export interface DataverseRequest {
  body?: unknown;
  /** `If-Match`: the record's ETag (or `*`: update only). */
  ifMatch?: string;
  /** `If-None-Match: *`: create only. */
  ifNoneMatch?: '*';
  /** `Prefer` preferences, e.g. `return=representation`, `odata.track-changes`, `odata.maxpagesize=100`. */
  prefer?: string[];
  signal?: AbortSignal;
}

/** The Web API's version path under the environment's root. */
export const WEB_API_PATH = '/api/data/v9.2/';

/** Annotations asked for on every read: lookups' display names (`…@OData.Community.Display.V1.FormattedValue`). */
const FORMATTED_VALUES = 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"';

/**
 * The Dataverse Web API (OData v4 JSON) as the connector uses it: one request at a time, each within a timeout,
 * with the environment's token; a 401 is answered once with a fresh token. Every other answer that is not 2xx
 * (and not 404/412, which callers decide on) throws a CrmSendError carrying the status, Dataverse's error code
 * and, for 429 (service protection limits: per user, per 5 minutes), the `Retry-After` it asked for. Retrying
 * is the dispatcher's and the poller's business, not this client's: they record the wait and the reason.
 */
export class DataverseClient {
  private readonly root: string;

  constructor(private readonly options: DataverseClientOptions) {
    this.root = new URL(WEB_API_PATH, options.url.replace(/\/+$/, '') + '/').toString();
  }

  /** `path` is relative to the Web API root (`opportunities(…)`), or an absolute next/delta link of the same environment. */
  async request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, request: DataverseRequest = {}): Promise<DataverseAnswer<T>> {
    const url = this.urlOf(path);
    const signal = request.signal ? AbortSignal.any([request.signal, AbortSignal.timeout(this.options.timeoutMs)]) : AbortSignal.timeout(this.options.timeoutMs);
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        const token = await this.options.token(signal, attempt > 1);
        response = await fetch(url, { method, signal, headers: this.headersOf(token, request), body: request.body !== undefined ? JSON.stringify(request.body) : undefined });
      } catch (e) {
        if (e instanceof CrmSendError) throw e;
        recordDataverseRequest(undefined);
        const reason = signal.aborted ? `no answer within ${this.options.timeoutMs} ms` : `could not be reached: ${(e as Error).message}`;
        throw new CrmSendError(`Dataverse ${reason} (${method} ${pathOf(url)})`, undefined, undefined, signal.aborted ? 'timeout' : 'network');
      }
      recordDataverseRequest(response.status);
      if (response.status === 401 && attempt === 1) {
        await response.body?.cancel();
        continue;
      }
      const text = await response.text();
      if (response.ok || response.status === 404 || response.status === 412) {
        return {
          status: response.status,
          body: text && response.ok ? (JSON.parse(text) as T) : undefined,
          etag: response.headers.get('etag') ?? undefined,
          entityId: response.headers.get('odata-entityid') ?? undefined,
        };
      }
      const error = errorOf(text);
      const retryAfterMs = response.status === 429 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
      throw new CrmSendError(`Dataverse answered ${method} ${pathOf(url)} with ${response.status}${error.code ? ` ${error.code}` : ''}${error.message ? `: ${error.message}` : ''}`, response.status, retryAfterMs, error.code);
    }
  }

  private headersOf(token: string, request: DataverseRequest): Record<string, string> {
    const prefer = [...(request.prefer ?? []), FORMATTED_VALUES];
    return {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'odata-version': '4.0',
      'odata-maxversion': '4.0',
      prefer: prefer.join(','),
      ...(request.body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      ...(request.ifMatch ? { 'if-match': request.ifMatch } : {}),
      ...(request.ifNoneMatch ? { 'if-none-match': request.ifNoneMatch } : {}),
    };
  }

  /** A relative path under the Web API root, or an absolute link that must stay on the environment's host. */
  private urlOf(path: string): string {
    const url = new URL(path, this.root);
    if (url.origin !== new URL(this.root).origin) throw new CrmSendError(`a link to another host was refused: ${url.origin}`, undefined, undefined, 'foreignLink');
    return url.toString();
  }
}

/** Dataverse's error body: `{"error":{"code":"0x80072322","message":"…"}}`; the message cut short (it may quote data). */
function errorOf(text: string): { code?: string; message?: string } {
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    return {
      code: typeof error?.code === 'string' ? error.code.slice(0, 40) : undefined,
      message: typeof error?.message === 'string' ? error.message.slice(0, 200) : undefined,
    };
  } catch {
    return {};
  }
}

/** The path of a URL without its query (queries may carry filter values: names). */
const pathOf = (url: string): string => new URL(url).pathname;

/** An OData string literal: single quotes doubled. */
export const odataString = (text: string): string => `'${text.replace(/'/g, "''")}'`;
