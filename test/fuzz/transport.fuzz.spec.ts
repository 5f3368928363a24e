import assert from 'node:assert/strict';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { personalText, cardPress } from '../support/activities';
import { EdgeUnderTest, routesOf, type Mode } from '../support/edge-under-test';
import { FakeTeams } from '../support/fake-teams';
import { type RawAnswer, type RawPart, httpRequest, rawConversation, rawRequest } from '../support/raw-http';

/**
 * Fuzzing below the activity (issue 14, item 1): raw HTTP over a socket against every route, in local and in Azure
 * mode. Bodies are valid activities, random bytes, compressed (gzip/deflate/br, valid and cut short), deep or huge
 * JSON; framing is honest, chunked (valid or broken), a length that lies either way, both lengths, none; bodies
 * arrive at once or dribbled, and clients give up half-way. Never a 5xx of DealDesk's own, every request that is
 * not abandoned by its client gets an answer, /healthz answers after every batch, and the event loop is never
 * blocked for 100 ms.
 *
 * TRANSPORT_FUZZ_RUNS: requests per mode (default 400 in `npm test`; `npm run test:chaos` runs 5,000).
 * FUZZ_SEED replays a failing run.
 */
const RUNS = Number(process.env.TRANSPORT_FUZZ_RUNS ?? 400);
/** Kept-alive connections carrying several well-formed requests each (an eighth of the runs). */
const CONVERSATIONS = Math.ceil(RUNS / 8);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;
/** Requests in flight at once. */
const CONCURRENCY = 40;
/** Short timeouts, so lying lengths and slow clients end within the run. */
const TIMEOUTS = { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' };

/** Where DealDesk's replies go: a fake Teams connector, so a reply never fails for a reason of the fuzzer's own. */
const teams = new FakeTeams({ limits: false });
const activity = () => JSON.stringify(personalText('help', { serviceUrl: teams.url, as: 'patti' }));
const press = () => JSON.stringify(cardPress('help.show', {}, { serviceUrl: teams.url, as: 'patti' }));
const deep = (depth: number) => `{"type":"message","value":${'['.repeat(depth)}${']'.repeat(depth)}}`;

const BODY = fc.oneof(
  fc.constant(Buffer.alloc(0)),
  fc.constantFrom(activity, press).map((make) => Buffer.from(make())),
  fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)),
  fc.constantFrom(gzipSync, deflateSync, brotliCompressSync).map((compress) => compress(activity())),
  fc.tuple(fc.constantFrom(gzipSync, deflateSync, brotliCompressSync), fc.integer({ min: 1, max: 60 })).map(([compress, keep]) => compress(activity()).subarray(0, keep)),
  fc.integer({ min: 100, max: 120_000 }).map((depth) => Buffer.from(deep(depth))),
  fc.constantFrom(200, 255, 300).map((kb) => Buffer.from(`{"type":"message","text":"${'x'.repeat(kb * 1024)}"}`)),
  fc.string({ unit: 'binary', maxLength: 300 }).map((s) => Buffer.from(s)),
);

const ENCODING = fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'identity', 'GZIP', 'x-bogus', 'gzip, br', '', 'gzip;q=1');
const CONTENT_TYPE = fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data; boundary=x');
type Framing = 'length' | 'chunked' | 'brokenChunks' | 'lieLonger' | 'lieShorter' | 'noLength' | 'bothLengths' | 'badLength';
const FRAMING = fc.constantFrom<Framing>('length', 'length', 'length', 'chunked', 'brokenChunks', 'lieLonger', 'lieShorter', 'noLength', 'bothLengths', 'badLength');
const EXTRA = fc.constantFrom<Record<string, string>>(
  {},
  {},
  { authorization: 'Bearer not.a.jwt' },
  { expect: '100-continue' },
  { connection: 'upgrade', upgrade: 'websocket' },
  { 'x-filler': 'y'.repeat(20_000) },
  Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`x-h${i}`, String(i)])),
);
const EXTRA_PATHS: Array<[string, string]> = [
  ['GET', '/nowhere'], ['PUT', '/api/messages'], ['DELETE', '/healthz'], ['OPTIONS', '/api/messages'], ['HEAD', '/healthz'], ['POST', '/healthz'],
  ['GET', '/api/messages'], ['POST', '/deals/D-1'], ['GET', '/%'], ['POST', '/api/messages%00'], ['POST', '//api//messages/'], ['POST', '/api/messages/?x=%ZZ'],
  ['GET', '/deals/%E0%A4%A'], ['BREW', '/healthz'],
];

interface Case {
  route: [string, string];
  body: Buffer;
  encoding?: string;
  contentType?: string;
  framing: Framing;
  extra: Record<string, string>;
  /** Pieces the body is written in, with pauses between them (ms). */
  pauses: number[];
  /** The client gives up after writing this share of the body (undefined: it never does). */
  abandonAt?: number;
}

const caseOf = (mode: Mode) =>
  fc.record({
    route: fc.constantFrom(...routesOf(mode), ...EXTRA_PATHS),
    body: BODY,
    encoding: ENCODING,
    contentType: CONTENT_TYPE,
    framing: FRAMING,
    extra: EXTRA,
    pauses: fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 150 }), { maxLength: 5 }) }),
    abandonAt: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.double({ min: 0, max: 0.9, noNaN: true }) }),
  }) as fc.Arbitrary<Case>;

/** The bytes of a case, in the pieces (and pauses) the client sends them. */
function partsOf(c: Case): RawPart[] {
  const headers: string[] = [`host: 127.0.0.1`];
  if (c.contentType) headers.push(`content-type: ${c.contentType}`);
  if (c.encoding !== undefined) headers.push(`content-encoding: ${c.encoding}`);
  for (const [k, v] of Object.entries(c.extra)) headers.push(`${k}: ${v}`);
  let body = c.body;
  switch (c.framing) {
    case 'length': headers.push(`content-length: ${body.length}`); break;
    case 'lieLonger': headers.push(`content-length: ${body.length + 1 + (body.length % 100)}`); break;
    case 'lieShorter': headers.push(`content-length: ${Math.floor(body.length / 2)}`); break;
    case 'bothLengths': headers.push(`content-length: ${body.length}`, 'transfer-encoding: chunked'); break;
    case 'badLength': headers.push(body.length % 2 ? 'content-length: -1' : `content-length: ${body.length}, ${body.length + 1}`); break;
    case 'noLength': break;
    case 'chunked':
    case 'brokenChunks': {
      headers.push('transfer-encoding: chunked');
      const size = Math.max(1, Math.ceil(body.length / 3));
      const chunks: Buffer[] = [];
      for (let i = 0; i < body.length; i += size) {
        const piece = body.subarray(i, i + size);
        const sizeLine = c.framing === 'brokenChunks' && i === 0 ? `${(piece.length + 7).toString(16)}\r\n` : `${piece.length.toString(16)}\r\n`;
        chunks.push(Buffer.from(sizeLine), piece, Buffer.from('\r\n'));
      }
      chunks.push(Buffer.from(c.framing === 'brokenChunks' ? 'zz\r\n\r\n' : '0\r\n\r\n'));
      body = Buffer.concat(chunks);
      break;
    }
  }
  const head = Buffer.from(`${c.route[0]} ${c.route[1]} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1');
  const cut = c.abandonAt === undefined ? body.length : Math.floor(body.length * c.abandonAt);
  const sent = body.subarray(0, cut);
  if (c.pauses.length === 0) return [head, sent];
  const parts: RawPart[] = [head];
  const size = Math.max(1, Math.ceil(sent.length / c.pauses.length));
  c.pauses.forEach((pauseMs, i) => parts.push({ pauseMs }, sent.subarray(i * size, (i + 1) * size)));
  return parts;
}

const describeCase = (c: Case) =>
  `${c.route.join(' ')} framing=${c.framing} encoding=${c.encoding} type=${c.contentType} body=${c.body.length}B extra=${Object.keys(c.extra).slice(0, 3).join(',')} pauses=${c.pauses.join('/')} abandonAt=${c.abandonAt}`;

/** What must hold for one request's answer. */
function check(c: Case, answer: RawAnswer): void {
  if (c.abandonAt !== undefined) return; // the client left; nobody is owed an answer
  assert.ok(answer.status !== undefined, `no answer (${answer.closed ? 'closed' : 'left open'}) to ${describeCase(c)}`);
  const readiness = c.route[1] === '/readyz' && answer.status === 503;
  assert.ok(answer.status < 500 || readiness, `${answer.status} ${answer.body.slice(0, 200)} for ${describeCase(c)}`);
}

/** A well-formed request on a route, as a client reusing its connection sends it. */
const WELL_FORMED = (mode: Mode) =>
  fc.constantFrom(...routesOf(mode)).map(([method, path]) =>
    method === 'POST' ? httpRequest(method, path, { 'content-type': 'application/json' }, path === '/api/messages' ? activity() : '{}') : httpRequest(method, path),
  );
/** The first request goes out at once (a new connection that stays silent meets the header timeout); later ones after idle pauses. */
const CONVERSATION = (mode: Mode) =>
  fc
    .array(fc.record({ bytes: WELL_FORMED(mode), pauseMs: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 200, max: 1500 })) }), { minLength: 2, maxLength: 5 })
    .map(([first, ...rest]) => [{ ...first, pauseMs: 0 }, ...rest]);

describe('fuzzing the HTTP transport below the activity (issue 14, item 1)', () => {
  before(() => teams.start());
  after(() => teams.stop());

  for (const mode of ['local', 'azure'] as Mode[]) {
    describe(`fuzzing the HTTP transport, raw over sockets (${mode} mode)`, function () {
      this.timeout(0);
      const edge = new EdgeUnderTest(mode, TIMEOUTS);
      before(() => edge.start());
      after(() => edge.stop());

      it(`${RUNS} raw requests: never a 5xx, always an answer, /healthz after each batch, no event-loop block of 100 ms`, async () => {
        const cases = fc.sample(caseOf(mode), { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) });
        const statuses = new Map<string, number>();
        edge.watchEventLoop();
        for (let i = 0; i < cases.length; i += CONCURRENCY) {
          const batch = cases.slice(i, i + CONCURRENCY);
          const answers = await Promise.all(batch.map((c) => rawRequest(edge.port, partsOf(c), { timeoutMs: 6000, abandon: c.abandonAt !== undefined })));
          batch.forEach((c, j) => {
            check(c, answers[j]);
            const key = String(answers[j].status ?? (c.abandonAt !== undefined ? 'abandoned' : 'none'));
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
          });
          assert.equal(await edge.health(), 200, `/healthz after the batch starting at case ${i}`);
        }
        const blocked = edge.longestBlockMs();
        console.log(`      transport fuzz (${mode}): ${RUNS} requests; answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; longest event-loop block ${blocked.toFixed(1)} ms`);
        assert.ok(blocked < 100, `the event loop was blocked for ${blocked.toFixed(1)} ms`);
        assert.equal(edge.logger.errors().length, 0, JSON.stringify(edge.logger.errors().slice(0, 3)));
      });

      it(`${CONVERSATIONS} kept-alive connections, each reused for 2 to 5 requests with pauses: every request answered, none closed under its client`, async () => {
        const conversations = fc.sample(CONVERSATION(mode), { numRuns: CONVERSATIONS, ...(SEED !== undefined ? { seed: SEED } : {}) });
        let requests = 0;
        for (let i = 0; i < conversations.length; i += CONCURRENCY) {
          const batch = conversations.slice(i, i + CONCURRENCY);
          const answers = await Promise.all(batch.map((requestsOf) => rawConversation(edge.port, requestsOf)));
          answers.forEach((list, j) => {
            for (let k = 0; k < list.length; k++) {
              requests += 1;
              const answer = list[k];
              const shown = batch[j].map((r) => `${r.bytes.toString('latin1').split(' ', 2).join(' ')} after ${r.pauseMs} ms`).join(', ');
              assert.ok(answer, `request ${k + 1} of [${shown}] got no answer on its kept-alive connection`);
              assert.ok(answer.status! < 500 || (answer.status === 503 && /readyz/.test(shown)), `${answer.status} in [${shown}]`);
              if (answer.headers.connection === 'close') break; // the server said so: the client opens a new one
            }
          });
        }
        console.log(`      transport fuzz (${mode}): ${CONVERSATIONS} kept-alive connections, ${requests} requests, all answered`);
      });
    });
  }
});
