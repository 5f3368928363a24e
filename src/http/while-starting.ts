import type restify from 'restify';
import type { LayoutProgress } from '../ports/store.port';

/** Until DealDesk serves: starting (the moments it checks whether data must move) or moving data (with the progress). */
export type Starting = { moving?: LayoutProgress };

/** What Teams and the CRM are asked to wait before they send again. */
export const RETRY_AFTER_SECONDS = 10;

/**
 * While DealDesk starts (its data still moving to the partitioned layout, or another instance moving it), it already
 * answers HTTP, so that App Service, a container runtime or a load balancer sees a live process rather than one
 * that never answers (App Service restarts a container silent for 230 s): `/healthz` is 200 as always, and every POST
 * (a Teams activity, a CRM change, a dev clock advance) is answered 503 with Retry-After before any handler reads it,
 * so no turn runs on half-moved data. `/readyz` says the rest (server.ts, readyzWhileStarting).
 */
export function refuseWhileStarting(server: restify.Server, starting: () => Starting | undefined): void {
  server.pre((req, res, next) => {
    if (req.method !== 'POST' || !starting()) return next();
    res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    res.setHeader('cache-control', 'no-store');
    res.setHeader('connection', 'close');
    res.send(503, { error: 'DealDesk is starting: it answers once its data has moved; retry later' });
    return next(false);
  });
}

/** /readyz while starting: 503, and how far the move is (counts per legacy container; nothing else about the store). */
export function readyzWhileStarting(state: Starting): { status: string; mover?: string; containers?: LayoutProgress['containers'] } {
  if (!state.moving) return { status: 'starting' };
  return { status: 'moving data', mover: state.moving.mover, containers: state.moving.containers };
}
