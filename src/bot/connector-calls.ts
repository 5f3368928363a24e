import { recordTeamsRequest } from '../metrics/metrics';
import { tracing } from '../telemetry/tracing';

interface RequestLike {
  url: string;
  method: string;
}
interface ResponseLike {
  status: number;
}
export interface ConnectorPipelineLike {
  addPolicy(policy: { name: string; sendRequest(request: RequestLike, next: (r: RequestLike) => Promise<unknown>): Promise<unknown> }, options?: { afterPhase?: 'Retry' }): void;
}

export const CONNECTOR_CALLS_POLICY = 'dealdeskConnectorCalls';

/** The Bot Framework REST API's own words; every other path segment is an id (a conversation, an activity, a team). */
const API_WORDS = new Set(['v3', 'conversations', 'activities', 'members', 'pagedmembers', 'teams', 'attachments', 'views', 'activity', 'history']);

/** `https://smba…/amer/v3/conversations/a:1x…/activities/1:2y…?q` → `https://smba…/v3/conversations/:id/activities/:id`. */
export function templateOf(url: string): { origin: string; host: string; path: string } {
  try {
    const parsed = new URL(url);
    const segments = parsed.pathname.split('/').filter(Boolean);
    const start = segments.indexOf('v3');
    const api = start === -1 ? segments : segments.slice(start);
    return { origin: parsed.origin, host: parsed.host, path: `/${api.map((s) => (API_WORDS.has(s.toLowerCase()) ? s : ':id')).join('/')}` };
  } catch {
    return { origin: 'http://unknown', host: 'unknown', path: '/' };
  }
}

/**
 * Every HTTP request to the Bot Connector (a reply, a proactive send, an update, a roster read, opening a chat), each
 * retry included: counted by status for the metrics (Teams's 429s among them) and, within an operation, a
 * dependency span with the method, the URL with its ids replaced (`:id`) and the status. Placed after the retry
 * phase, so each attempt on the wire is seen.
 */
export function observeConnectorCalls(pipeline: ConnectorPipelineLike): void {
  pipeline.addPolicy({
    name: CONNECTOR_CALLS_POLICY,
    sendRequest: (request, next) => {
      const describe = () => {
        const { origin, host, path } = templateOf(request.url);
        return {
          name: `teams ${request.method} ${path}`,
          attributes: { 'http.request.method': request.method, 'url.full': `${origin}${path}`, 'server.address': host },
        };
      };
      return tracing.runInOperation('client', describe, async (span) => {
        let response: ResponseLike;
        try {
          response = (await next(request)) as ResponseLike;
        } catch (e) {
          const status = (e as { statusCode?: unknown }).statusCode;
          recordTeamsRequest(typeof status === 'number' ? status : undefined);
          span.fail();
          throw e;
        }
        recordTeamsRequest(response.status);
        span.set({ 'http.response.status_code': response.status });
        if (response.status >= 400) span.fail();
        return response;
      });
    },
  }, { afterPhase: 'Retry' });
}
