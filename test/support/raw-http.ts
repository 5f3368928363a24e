import * as net from 'node:net';

/** What came back on the socket: the status of the first response (if any), its headers and body, and how it ended. */
export interface RawAnswer {
  status?: number;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection (after answering or without). */
  closed: boolean;
  /** Nothing at all came back before the timeout. */
  timedOut: boolean;
}

/** Bytes to write, or a pause (ms) between writes (a slow client). */
export type RawPart = string | Buffer | { pauseMs: number };

/**
 * Sends raw bytes to `host:port` over a fresh TCP connection and reads one HTTP response: below any HTTP client, so
 * broken framing, lying lengths and truncated bodies reach the server exactly as written.
 */
export function rawRequest(port: number, parts: RawPart[], options: { timeoutMs?: number; host?: string; endAfterWrite?: boolean } = {}): Promise<RawAnswer> {
  const { timeoutMs = 5000, host = '127.0.0.1' } = options;
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    let data = Buffer.alloc(0);
    let settled = false;
    const settle = (closed: boolean, timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseResponse(data), closed, timedOut });
    };
    const timer = setTimeout(() => settle(false, data.length === 0), timeoutMs);
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (responseComplete(data)) settle(false, false);
    });
    socket.on('close', () => settle(true, false));
    socket.on('error', () => settle(true, false));
    socket.on('connect', async () => {
      for (const part of parts) {
        if (settled || socket.destroyed) return;
        if (typeof part === 'object' && 'pauseMs' in part) await new Promise((r) => setTimeout(r, part.pauseMs));
        else socket.write(part);
      }
      if (options.endAfterWrite) socket.end();
    });
  });
}

function parseResponse(data: Buffer): Omit<RawAnswer, 'closed' | 'timedOut'> {
  const text = data.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const head = end === -1 ? text : text.slice(0, end);
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: status ? Number(status) : undefined, headers, body: end === -1 ? '' : data.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1')).toString('utf8') };
}

/** A whole response with a Content-Length has arrived (others end when the server closes). */
function responseComplete(data: Buffer): boolean {
  const { headers, body, status } = parseResponse(data);
  if (status === undefined || headers['content-length'] === undefined) return false;
  return Buffer.byteLength(body) >= Number(headers['content-length']);
}

/** `METHOD path HTTP/1.1` with headers and a body, as bytes; Content-Length is computed unless given. */
export function httpRequest(method: string, path: string, headers: Record<string, string | number> = {}, body: Buffer | string = ''): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const all: Record<string, string | number> = { host: '127.0.0.1', ...headers };
  if (!Object.keys(all).some((h) => h.toLowerCase() === 'content-length' || h.toLowerCase() === 'transfer-encoding') && bytes.length > 0) all['content-length'] = bytes.length;
  const head = `${method} ${path} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
}
