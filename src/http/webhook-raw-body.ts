import type { IncomingMessage } from 'node:http';
import type restify from 'restify';
import type { Logger } from '../ports/logger.port';

export const WEBHOOK_PATH = '/api/webhooks/deals';
/** Beyond this, an oversized body is not even drained: the answer is 413 and the connection is closed. */
const DRAIN_LIMIT_BYTES = 1024 * 1024;

export type Captured = { body: Buffer } | { refused: 'tooLarge' | 'encoding'; closeAfter: boolean };

/** Raw request bytes, read before restify's bodyParser could replace them (the signature is over them). */
export const captured = new WeakMap<IncomingMessage, Captured>();

function isWebhookPath(req: restify.Request): boolean {
  let path: string;
  try {
    path = decodeURIComponent(req.getPath() ?? '');
  } catch {
    return false;
  }
  return path.replace(/\/+$/, '') === WEBHOOK_PATH;
}

/**
 * Reads the webhook's body itself, as raw bytes with its own limit, before routing; then tells restify's
 * bodyParser (installed for /api/messages) that the body was read and parsed, so it leaves it alone.
 */
export function captureRawBody(maxBodyBytes: number, logger: Logger): restify.RequestHandler {
  return (req, _res, next) => {
    if (req.method !== 'POST' || !isWebhookPath(req)) return next();
    // restify's bodyReader/bodyParser skip a request with these set (restify 11 lib/plugins/bodyReader.js, bodyParser.js).
    const flags = req as unknown as { _readBody?: boolean; _parsedBody?: boolean };
    flags._readBody = true;
    flags._parsedBody = true;

    const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity') {
      captured.set(req, { refused: 'encoding', closeAfter: true });
      return next();
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > DRAIN_LIMIT_BYTES) {
      captured.set(req, { refused: 'tooLarge', closeAfter: true });
      return next();
    }

    let done = false;
    const finish = (result: Captured | undefined) => {
      if (done) return;
      done = true;
      req.removeListener('data', onData);
      if (!result) return next(false); // the client went away: nobody to answer
      captured.set(req, result);
      next();
    };
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
      else if (size > DRAIN_LIMIT_BYTES) {
        req.pause();
        finish({ refused: 'tooLarge', closeAfter: true });
      }
    };
    req.on('data', onData);
    req.once('end', () => finish(size > maxBodyBytes ? { refused: 'tooLarge', closeAfter: false } : { body: Buffer.concat(chunks, size) }));
    req.once('error', (err) => {
      logger.debug({ err }, 'webhook request stream failed');
      finish(undefined);
    });
    req.once('close', () => finish(undefined));
    req.resume();
  };
}
