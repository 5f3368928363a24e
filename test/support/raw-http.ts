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
export function rawRequest(port: number, parts: RawPart[], options: { timeoutMs?: number; host?: string; abandon?: boolean } = {}): Promise<RawAnswer> {
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
      // A client that gives up half-way: gone without waiting for anything.
      if (options.abandon) settle(true, false);
    });
  });
}

/** Interim answers (100 Continue) come before the one that counts. */
const withoutInterim = (data: Buffer): Buffer => {
  let rest = data;
  for (let m = /^HTTP\/1\.[01] 1\d\d[^\r]*\r\n(?:[^\r]+\r\n)*\r\n/.exec(rest.toString('latin1')); m; m = /^HTTP\/1\.[01] 1\d\d[^\r]*\r\n(?:[^\r]+\r\n)*\r\n/.exec(rest.toString('latin1'))) {
    rest = rest.subarray(Buffer.byteLength(m[0], 'latin1'));
  }
  return rest;
};

function parseResponse(raw: Buffer): Omit<RawAnswer, 'closed' | 'timedOut'> {
  const data = withoutInterim(raw);
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

/** A whole response has arrived: its Content-Length, or its last chunk (others end when the server closes). */
function responseComplete(data: Buffer): boolean {
  const { headers, body, status } = parseResponse(data);
  if (status === undefined) return false;
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) return /(^|\r\n)0\r\n\r\n$/.test(body);
  if (headers['content-length'] === undefined) return false;
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

/**
 * Several requests, one after another on ONE kept-alive connection, each sent once the previous answer has arrived
 * (after its pause): the answers, up to the first that did not come (then the rest are missing).
 */
export function rawConversation(port: number, requests: Array<{ bytes: Buffer; pauseMs: number }>, timeoutMs = 5000): Promise<Array<RawAnswer | undefined>> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const answers: Array<RawAnswer | undefined> = requests.map(() => undefined);
    let index = 0;
    let data = Buffer.alloc(0);
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answers);
    };
    const send = () => {
      if (index >= requests.length) return finish();
      const { bytes, pauseMs } = requests[index];
      setTimeout(() => {
        if (socket.destroyed) return finish();
        socket.write(bytes);
        timer = setTimeout(finish, timeoutMs);
      }, pauseMs);
    };
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (!responseComplete(data)) return;
      clearTimeout(timer);
      answers[index] = { ...parseResponse(data), closed: false, timedOut: false };
      data = Buffer.alloc(0);
      index += 1;
      send();
    });
    socket.on('close', finish);
    socket.on('error', finish);
    socket.on('connect', send);
  });
}
