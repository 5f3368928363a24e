import assert from 'node:assert/strict';
import * as net from 'node:net';
import { gzipSync, createGzip } from 'node:zlib';
import { personalText } from '../support/activities';
import { EdgeUnderTest, routesOf, type Mode } from '../support/edge-under-test';
import { httpRequest, rawConversation, rawRequest } from '../support/raw-http';

/** 240 MB of JSON-ish whitespace, gzipped to about 245 KB: under the body limit as sent, 1,000× over it decoded. */
async function gzipBomb(): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  gzip.write('{"type":"message","text":"');
  const mb = Buffer.alloc(1024 * 1024, 0x20);
  for (let i = 0; i < 240; i++) if (!gzip.write(mb)) await new Promise((r) => gzip.once('drain', r));
  gzip.end('"}');
  await done;
  return Buffer.concat(out);
}

/**
 * Issue 14, item 1: no request of any shape, on any route, in either mode, ends the process or blocks the event loop
 * for more than 100 ms. These are the reproductions, sent as raw bytes below any HTTP client.
 */
for (const mode of ['local', 'azure'] as Mode[]) {
  describe(`the HTTP transport under DealDesk (${mode} mode)`, function () {
    this.timeout(60_000);
    const edge = new EdgeUnderTest(mode);
    before(() => edge.start());
    after(() => edge.stop());

    for (const [method, path] of routesOf(mode)) {
      it(`${method} ${path} with one byte of "gzip": a 4xx or the route's own answer, and DealDesk lives on`, async () => {
        const answer = await rawRequest(edge.port, [httpRequest(method, path, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'x')]);
        assert.ok(answer.status !== undefined, `no answer: ${JSON.stringify(answer)}`);
        assert.ok(answer.status < 500 || (path === '/readyz' && answer.status === 503), `${answer.status} ${answer.body}`);
        // The webhook checks the signature first (401); the others refuse the encoding.
        if (method === 'POST') assert.equal(answer.status, path === '/api/webhooks/deals' ? 401 : 415, answer.body);
        assert.equal(await edge.health(), 200);
      });
    }

    it('a gzip body that expands to 240 MB: 415 at once, never decoded (event loop and memory untouched)', async function () {
      const bomb = await gzipBomb();
      assert.ok(bomb.length < 256 * 1024, `the bomb is ${bomb.length} bytes`);
      const rssBefore = process.memoryUsage().rss;
      edge.watchEventLoop();
      const answer = await rawRequest(edge.port, [httpRequest('POST', '/api/messages', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, bomb)]);
      const blocked = edge.longestBlockMs();
      assert.equal(answer.status, 415, answer.body);
      assert.match(answer.body, /uncompressed/);
      assert.equal(answer.headers.connection, 'close');
      assert.ok(blocked < 100, `the event loop was blocked for ${blocked} ms`);
      assert.ok(process.memoryUsage().rss - rssBefore < 64 * 1024 * 1024, 'memory grew by more than 64 MB');
      assert.equal(await edge.health(), 200);
    });

    for (const encoding of ['deflate', 'br', 'gzip, identity', 'x-unknown']) {
      it(`Content-Encoding: ${encoding} on /api/messages: 415, nothing decoded`, async () => {
        const body = gzipSync(JSON.stringify(personalText('help', { serviceUrl: 'http://127.0.0.1:9/' })));
        const answer = await rawRequest(edge.port, [httpRequest('POST', '/api/messages', { 'content-type': 'application/json', 'content-encoding': encoding }, body)]);
        assert.equal(answer.status, 415);
      });
    }

    it('a body over the limit, announced: 413 without reading it, and the connection closes', async () => {
      const answer = await rawRequest(edge.port, [httpRequest('POST', '/api/messages', { 'content-type': 'application/json', 'content-length': 10 * 1024 * 1024 }), 'x'.repeat(1000)]);
      assert.equal(answer.status, 413);
      assert.equal(answer.headers.connection, 'close');
    });

    it('a body a little over the limit: read to its end, 413, and the connection stays usable', async () => {
      const big = JSON.stringify(personalText(`help ${'x'.repeat(300 * 1024)}`, { serviceUrl: 'http://127.0.0.1:9/' }));
      const [refused, next] = await rawConversation(edge.port, [
        { bytes: httpRequest('POST', '/api/messages', { 'content-type': 'application/json' }, big), pauseMs: 0 },
        { bytes: httpRequest('GET', '/healthz'), pauseMs: 0 },
      ]);
      assert.equal(refused?.status, 413);
      assert.equal(next?.status, 200);
    });

    it('a chunked body that grows past the limit: 413, and the connection closes', async () => {
      const chunk = 'x'.repeat(64 * 1024);
      const parts = [httpRequest('POST', '/api/messages', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' })];
      for (let i = 0; i < 20; i++) parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n${chunk}\r\n`));
      const answer = await rawRequest(edge.port, parts);
      assert.equal(answer.status, 413);
      assert.equal(answer.headers.connection, 'close');
    });

    it('broken chunked framing, a lying negative length, both lengths at once: 400', async () => {
      const cases = [
        Buffer.concat([httpRequest('POST', '/api/messages', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }), Buffer.from('zz\r\nhello\r\n0\r\n\r\n')]),
        httpRequest('POST', '/api/messages', { 'content-type': 'application/json', 'content-length': '-5' }, ''),
        httpRequest('POST', '/api/messages', { 'content-type': 'application/json', 'content-length': 5, 'transfer-encoding': 'chunked' }, '0\r\n\r\n'),
      ];
      for (const bytes of cases) assert.equal((await rawRequest(edge.port, [bytes])).status, 400);
      assert.equal(await edge.health(), 200);
    });

    it('a WebSocket handshake or a CONNECT (found by the fuzzer: no answer, and the socket stayed open for ever): 400 and closed', async () => {
      for (const bytes of [
        httpRequest('GET', '/healthz', { connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-version': 13, 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' }),
        httpRequest('POST', '/api/messages', { connection: 'upgrade', upgrade: 'h2c', 'content-type': 'application/json' }, '{}'),
        Buffer.from('CONNECT 127.0.0.1:22 HTTP/1.1\r\nhost: 127.0.0.1:22\r\n\r\n'),
      ]) {
        const answer = await rawRequest(edge.port, [bytes], { timeoutMs: 3000 });
        assert.equal(answer.status, 400, bytes.toString('latin1').split('\r\n')[0]);
        assert.equal(answer.headers.connection, 'close');
      }
      assert.equal(await edge.health(), 200);
    });

    it('headers over 16 KB: 431', async () => {
      const answer = await rawRequest(edge.port, [httpRequest('GET', '/healthz', { 'x-filler': 'y'.repeat(20_000) })]);
      assert.equal(answer.status, 431);
    });

    it('not JSON (a form, no content type), or not UTF-8: refused with 415 or 400, never parsed some other way', async () => {
      const activity = JSON.stringify(personalText('help', { serviceUrl: 'http://127.0.0.1:9/' }));
      assert.equal((await rawRequest(edge.port, [httpRequest('POST', '/api/messages', { 'content-type': 'application/x-www-form-urlencoded' }, 'type=message&text=help')])).status, 415);
      assert.equal((await rawRequest(edge.port, [httpRequest('POST', '/api/messages', {}, activity)])).status, 415);
      assert.equal((await rawRequest(edge.port, [httpRequest('POST', '/api/messages', { 'content-type': 'application/json; charset=utf-16' }, activity)])).status, 415);
      const latin1 = Buffer.from(activity.replace('"help"', '"h\u00e9lp"'), 'latin1');
      assert.equal((await rawRequest(edge.port, [httpRequest('POST', '/api/messages', { 'content-type': 'application/json' }, latin1)])).status, 400);
    });
  });
}

describe('the HTTP server behind an Azure front end: timeouts set on purpose', function () {
  this.timeout(30_000);
  const edge = new EdgeUnderTest('azure', { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' });
  before(() => edge.start());
  after(() => edge.stop());

  it('an idle kept-alive connection stays open past Node\'s 5 s default: the front end closes first, never DealDesk', async () => {
    const socket = net.connect(edge.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const answers: string[] = [];
    socket.on('data', (d) => answers.push(d.toString('latin1')));
    let closed = false;
    socket.on('close', () => (closed = true));
    const ask = async () => {
      const before = answers.length;
      socket.write(httpRequest('GET', '/healthz'));
      for (let i = 0; i < 100 && answers.length === before; i++) await new Promise((r) => setTimeout(r, 20));
      return answers.slice(before).join('');
    };
    const first = await ask();
    assert.match(first, /^HTTP\/1\.1 200/);
    assert.match(first, /keep-alive: timeout=250/i, 'clients are told how long an idle connection is kept');
    await new Promise((r) => setTimeout(r, 6000));
    assert.equal(closed, false, 'DealDesk closed an idle kept-alive connection after 6 s');
    assert.match(await ask(), /^HTTP\/1\.1 200/);
    socket.destroy();
  });

  it('a client that dribbles its headers, or its body, or lies about its length is cut off; DealDesk goes on', async () => {
    const head = httpRequest('POST', '/api/messages', { 'content-type': 'application/json', 'content-length': 100 }).toString('latin1');
    const slowHeaders = rawRequest(edge.port, [...head.slice(0, 40).split('').flatMap((c) => [c, { pauseMs: 100 }])], { timeoutMs: 8000 });
    const slowBody = rawRequest(edge.port, [head, ...'{"type":"message"'.split('').flatMap((c) => [c, { pauseMs: 200 }])], { timeoutMs: 8000 });
    const lyingLength = rawRequest(edge.port, [head, '{"type":'], { timeoutMs: 8000 });
    for (const answer of await Promise.all([slowHeaders, slowBody, lyingLength])) {
      assert.ok(answer.closed, 'the connection was closed');
      assert.ok(answer.status === undefined || answer.status === 408, `answered ${answer.status}`);
    }
    assert.equal(await edge.health(), 200);
  });
});
