import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Azure Cosmos DB's largest request, and so its largest item: 2 MB. */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A document write as the REST API spells it: create, upsert or batch (a POST that is no query), replace (PUT), patch. */
function isDocumentWrite(req: IncomingMessage): boolean {
  if (!/\/colls\/[^/]+\/docs(?:\/|$|\?)/.test(req.url ?? '')) return false;
  if (req.method === 'PUT' || req.method === 'PATCH') return true;
  if (req.method !== 'POST') return false;
  const query = String(req.headers['x-ms-documentdb-isquery'] ?? '').toLowerCase() === 'true' || req.headers['content-type'] === 'application/query+json';
  return !query;
}

/** Azure's answer to a request over 2 MB: 413, no substatus, code RequestEntityTooLarge (as the real service words it). */
function refuse(req: IncomingMessage, res: ServerResponse): void {
  const activityId = randomUUID();
  const message = `Message: {"Errors":["Request size is too large"]}\r\nActivityId: ${activityId}, Request URI: ${req.url ?? ''}`;
  res.writeHead(413, { 'content-type': 'application/json', 'x-ms-activity-id': activityId, 'x-ms-request-charge': '0' });
  res.end(JSON.stringify({ code: 'RequestEntityTooLarge', message }));
}

/**
 * Makes the embedded server refuse a document write whose body is over 2 MB, as Azure Cosmos DB does, so tests
 * meet the limit where Azure would (the embedded server itself stores anything). It reads the request's
 * Content-Length, which @azure/cosmos sends on every write (seen here); the body is drained, never stored.
 */
export function refuseOversizedItems(server: EventEmitter, limit = MAX_REQUEST_BYTES): void {
  const handlers = server.listeners('request') as Handler[];
  if (handlers.length !== 1) throw new Error('the embedded Cosmos server has an unexpected request handler');
  const [handler] = handlers as [Handler];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!isDocumentWrite(req) || !(Number(req.headers['content-length'] ?? 0) > limit)) return handler(req, res);
    req.resume();
    req.once('end', () => refuse(req, res));
  });
}
