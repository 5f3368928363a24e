import type restify from 'restify';
import { shorten } from '../domain/shorten-text';
import { tracing } from '../telemetry/tracing';

type Handler = (req: restify.Request, res: restify.Response) => Promise<void>;

/**
 * A POST route whose every request is an operation (an App Insights request): named `POST <route>` until what
 * handles it names it better (a turn renames it after its activity, see src/bot/pipeline/log-turn.ts), with the status it
 * was answered with. Nothing of the request's body or headers but its host.
 */
export function tracedRoute(route: string, handler: Handler): Handler {
  // An async function, as restify tells async handlers from callback ones by their constructor.
  return async (req, res) =>
    tracing.run(`POST ${route}`, 'server', {
      'http.request.method': 'POST',
      'url.scheme': 'http',
      'url.path': route,
      'server.address': typeof req.headers.host === 'string' ? shorten(req.headers.host, 100) : undefined,
    }, async (span) => {
      try {
        await handler(req, res);
      } finally {
        span.set({ 'http.response.status_code': res.statusCode });
      }
    });
}
