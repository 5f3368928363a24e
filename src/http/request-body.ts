import type { IncomingMessage } from 'node:http';
import type restify from 'restify';

/**
 * Request bodies, read by DealDesk itself for every route, under restify: no framework body parser runs. A body
 * is read only for a route that takes one (`takesBody`), as raw bytes, with that route's limit counted on the bytes
 * received; a compressed body is refused (no decoder runs, so nothing expands), and a body sent to a route that
 * takes none is never read: the answer closes the connection instead of draining it.
 */
export type Body =
  | { bytes: Buffer }
  /** encoding: a Content-Encoding other than identity; tooLarge: over the route's limit. */
  | { refused: 'encoding' | 'tooLarge'; maxBytes: number };

/** Past this many bytes a refused body is not drained to answer politely: the connection is closed after the answer. */
const DRAIN_LIMIT_BYTES = 1024 * 1024;

const bodies = new WeakMap<IncomingMessage, Body>();
const routesOf = new WeakMap<restify.Server, Map<string, number>>();

/** What the pre-handler read for this request: undefined for a route that takes no body. */
export const bodyOf = (req: IncomingMessage): Body | undefined => bodies.get(req);

/** Declares that `POST <path>` takes a body of at most `maxBytes`. */
export function takesBody(server: restify.Server, path: string, maxBytes: number): void {
  const routes = routesOf.get(server) ?? new Map<string, number>();
  routes.set(normalised(path) ?? path, maxBytes);
  routesOf.set(server, routes);
}

/** A path as routing sees it (decoded, no trailing slash), or undefined when it cannot be decoded. */
function normalised(path: string): string | undefined {
  try {
    return decodeURIComponent(path).replace(/\/+$/, '') || '/';
  } catch {
    return undefined;
  }
}

/** Whether the request says a body follows (a length above zero, or chunked framing). */
const announcesBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** The pre-handler (`server.pre`) that reads or refuses every request's body before routing. */
export function readRequestBodies(server: restify.Server): restify.RequestHandler {
  return (req, res, next) => {
    const path = normalised(req.getPath() ?? '');
    const maxBytes = req.method === 'POST' && path !== undefined ? routesOf.get(server)?.get(path) : undefined;
    if (maxBytes === undefined) {
      // Never read, never drained: the connection is not reused after the answer.
      if (announcesBody(req)) res.setHeader('connection', 'close');
      return next();
    }
    // Refused before reading: the rest of the body is never read, so the connection closes after the answer.
    const refuse = (refused: 'encoding' | 'tooLarge') => {
      bodies.set(req, { refused, maxBytes });
      res.setHeader('connection', 'close');
      next();
    };
    const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity' && encoding !== '') return refuse('encoding');
    if (Number(req.headers['content-length']) > DRAIN_LIMIT_BYTES) return refuse('tooLarge');

    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: Body | undefined) => {
      if (done) return;
      done = true;
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      if (!result) return next(false); // the client went away: nobody to answer
      bodies.set(req, result);
      next();
    };
    // A body a little over the limit is read to its end (and dropped), so the client can read the 413 and reuse the
    // connection; past DRAIN_LIMIT_BYTES reading stops and the connection closes after the answer.
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else if (size > DRAIN_LIMIT_BYTES) {
        req.pause();
        res.setHeader('connection', 'close');
        finish({ refused: 'tooLarge', maxBytes });
      }
    };
    const onEnd = () => finish(size > maxBytes ? { refused: 'tooLarge', maxBytes } : { bytes: Buffer.concat(chunks, size) });
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', () => finish(undefined));
    req.once('close', () => finish(undefined));
    req.resume();
  };
}

/** The HTTP status of a refused body, and the words for it. */
export const refusalOf = (body: Extract<Body, { refused: unknown }>): { status: 413 | 415; message: string } =>
  body.refused === 'tooLarge'
    ? { status: 413, message: `The body is larger than ${body.maxBytes} bytes.` }
    : { status: 415, message: 'Send the body uncompressed (no Content-Encoding).' };
