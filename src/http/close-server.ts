import type { ServerResponse } from 'node:http';
import type restify from 'restify';

const closers = new WeakMap<restify.Server, () => Promise<void>>();

/**
 * Graceful close with long keep-alives: a connection whose request is in flight when the server closes would
 * otherwise stay open for the whole keep-alive timeout (250 s behind Azure's front end) once answered, and hold the
 * stop up. From the moment the server closes, every answer not yet sent says `Connection: close` and ends its
 * connection, and idle connections are closed at once.
 */
export function closeGracefullyOnStop(server: restify.Server): void {
  const open = new Set<ServerResponse>();
  let closing = false;
  server.pre((_req, res, next) => {
    if (closing) res.shouldKeepAlive = false;
    open.add(res);
    res.once('close', () => open.delete(res));
    next();
  });
  closers.set(server, () => {
    closing = true;
    for (const res of open) if (!res.headersSent) res.shouldKeepAlive = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.server.closeIdleConnections();
    return closed;
  });
}

/** Stops taking connections and resolves once the requests in flight are answered and their connections closed. */
export const closeServer = (server: restify.Server): Promise<void> =>
  closers.get(server)?.() ?? new Promise<void>((resolve) => server.close(() => resolve()));
