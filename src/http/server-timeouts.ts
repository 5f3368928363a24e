import type { Server } from 'node:http';

/**
 * The HTTP server's timeouts, set on purpose for running behind Azure's front ends (App Service's front end, an
 * Application Gateway or a load balancer) rather than left at Node's defaults:
 * - keepAliveMs: how long an idle kept-alive connection stays open. It must outlast the front end's own idle
 *   timeout (Azure's load balancer and App Service front end: 230–240 s), so the front end always closes an idle
 *   connection first; otherwise it may send a request down a connection DealDesk is closing at that instant, and
 *   Teams gets an error. Node's default (5 s) invited exactly that.
 * - headersMs: the most a client may take to send a request's headers (a slow-headers client is cut off).
 * - requestMs: the most a client may take to send a whole request; bodies are at most MAX_BODY_KB, so a client
 *   slower than that is holding a connection open, not sending an activity.
 */
export interface ServerTimeouts {
  keepAliveMs: number;
  headersMs: number;
  requestMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = { keepAliveMs: 250_000, headersMs: 20_000, requestMs: 30_000 };

/** Before `listen`: Node checks the header and request timeouts on an interval it reads when the server starts. */
export function applyTimeouts(server: Server, timeouts: ServerTimeouts): void {
  server.keepAliveTimeout = timeouts.keepAliveMs;
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  // Node's default checks every 30 s, so a slow client would be cut off up to 30 s late; a quarter of the header
  // timeout keeps the overrun small at the cost of one cheap timer.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(250, Math.round(timeouts.headersMs / 4));
}
