import type { Server } from 'restify';
import { isoDurationMs } from '../domain/duration';
import type { Logger } from '../ports/logger.port';
import type { ManualClock } from '../scheduler/manual-clock';
import { recordRefusal } from './refusals';
import { type Body, bodyOf, refusalOf, takesBody } from './request-body';

const MAX_ADVANCE_MS = 400 * 86_400_000;
const MAX_BODY_BYTES = 4096;

/** `{ "advance": … }` as sent, or undefined when the body is missing or not JSON. */
function advanceOf(body: Body | undefined): unknown {
  if (!body || 'refused' in body) return undefined;
  try {
    return (JSON.parse(body.bytes.toString('utf8')) as { advance?: unknown } | null)?.advance;
  } catch {
    return undefined;
  }
}

/**
 * `POST /_dev/clock` `{ "advance": "P1D" }`: moves DealDesk's time forward and runs what fell due (deal
 * timers and jobs, then their deliveries). Mounted only with DEALDESK_CLOCK=manual, which the config
 * refuses when authentication is on: in Azure the route does not exist.
 */
export function mountDevClock(server: Server, deps: { clock: ManualClock; logger: Logger; runDue: () => Promise<unknown> }): void {
  server.get('/_dev/clock', (_req, res, next) => {
    res.send(200, { now: deps.clock.now().toISOString() });
    next();
  });
  takesBody(server, '/_dev/clock', MAX_BODY_BYTES);
  server.post('/_dev/clock', async (req, res) => {
    const body = bodyOf(req);
    if (body && 'refused' in body) {
      const { status, message } = refusalOf(body);
      recordRefusal(deps.logger, { route: '/_dev/clock', status, reason: body.refused === 'tooLarge' ? 'body_too_large' : 'body_compressed' });
      res.send(status, { error: message });
      return;
    }
    const advance = advanceOf(body);
    const ms = typeof advance === 'string' ? isoDurationMs(advance) : undefined;
    if (ms === undefined || ms > MAX_ADVANCE_MS) {
      recordRefusal(deps.logger, { route: '/_dev/clock', status: 400, reason: 'advance_invalid' });
      res.send(400, { error: 'advance must be an ISO-8601 duration of weeks, days, hours, minutes or seconds, at most P400D, e.g. { "advance": "P1D" } or { "advance": "PT2H" }' });
      return;
    }
    const now = deps.clock.advance(ms);
    deps.logger.info({ advanceMs: ms, now: now.toISOString() }, 'dev clock moved forward');
    try {
      await deps.runDue();
      res.send(200, { now: now.toISOString() });
    } catch (e) {
      deps.logger.error({ err: e }, 'dev clock: running what fell due failed');
      res.send(500, { now: now.toISOString(), error: 'time moved, but running what fell due failed; see the log' });
    }
  });
}
