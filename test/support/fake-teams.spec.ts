import assert from 'node:assert/strict';
import { FakeTeams, MOCK_MEMBERS, type FakeMember } from './fake-teams';

interface Answer {
  status: number;
  retryAfter: string | null;
  body: any;
  ms: number;
}

async function call(fake: FakeTeams, method: string, path: string, body?: unknown): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(new URL(path, fake.url), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined, ms: performance.now() - started };
}

const message = (text: string, tenantId?: string) => ({
  type: 'message',
  text,
  conversation: tenantId ? { id: 'x', tenantId } : undefined,
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.5', text } }],
});

const send = (fake: FakeTeams, conversationId: string, text = 'hi', tenantId?: string) =>
  call(fake, 'POST', `v3/conversations/${encodeURIComponent(conversationId)}/activities`, message(text, tenantId));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FakeTeams (a fake Teams connector over real HTTP)', function () {
  this.timeout(10_000);
  let fake: FakeTeams;

  afterEach(async () => {
    await fake?.stop();
  });

  describe('recording', () => {
    beforeEach(async () => {
      fake = await new FakeTeams().start();
    });

    it('serves on 127.0.0.1 with a url ending in /', () => {
      assert.match(fake.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    });

    it('records sends, replies and updates and answers unique ids', async () => {
      const a = await send(fake, '19:chan@thread.tacv2;messageid=1', 'one');
      const b = await call(fake, 'POST', 'v3/conversations/a%3A1/activities/1%3Aorig', message('two'));
      const c = await call(fake, 'PUT', `v3/conversations/a%3A1/activities/${encodeURIComponent(b.body.id)}`, message('two, edited'));
      assert.deepEqual([a.status, b.status, c.status], [201, 201, 200]);
      assert.notEqual(a.body.id, b.body.id);
      assert.equal(c.body.id, b.body.id);
      assert.deepEqual(fake.messagesTo('19:chan@thread.tacv2;messageid=1').map((m) => m.text), ['one']);
      assert.deepEqual(fake.messagesTo('a:1').map((m) => m.text), ['two']);
      assert.equal(fake.sent.find((s) => s.kind === 'reply')?.replyToId, '1:orig');
      assert.deepEqual(fake.updatesTo('a:1').map((u) => u.body.text), ['two, edited']);
      assert.deepEqual(fake.cards().map((card) => card.text), ['one', 'two']);
      assert.deepEqual(fake.countByConversation(), { '19:chan@thread.tacv2;messageid=1': 1, 'a:1': 1 });
      fake.reset();
      assert.equal(fake.sent.length, 0);
      assert.notEqual((await send(fake, 'a:1')).body.id, a.body.id, 'ids stay unique across reset');
    });

    it('answers createConversation with a conversation id that is stable per member', async () => {
      const params = (id: string) => ({
        isGroup: false,
        bot: { id: '28:app' },
        members: [{ id }],
        tenantId: 'tenant-9',
        channelData: { tenant: { id: 'tenant-9' } },
      });
      const first = await call(fake, 'POST', 'v3/conversations', params('29:user-id-1'));
      const again = await call(fake, 'POST', 'v3/conversations', params('29:user-id-1'));
      const other = await call(fake, 'POST', 'v3/conversations', params('29:user-id-2'));
      assert.equal(first.status, 201);
      assert.equal(first.body.id, 'a:1on1-29:user-id-1');
      assert.equal(again.body.id, first.body.id);
      assert.equal(other.body.id, 'a:1on1-29:user-id-2');
      assert.deepEqual(
        fake.created.map((c) => [c.conversationId, c.memberId, c.tenantId]),
        [
          ['a:1on1-29:user-id-1', '29:user-id-1', 'tenant-9'],
          ['a:1on1-29:user-id-1', '29:user-id-1', 'tenant-9'],
          ['a:1on1-29:user-id-2', '29:user-id-2', 'tenant-9'],
        ],
      );
      assert.equal((await call(fake, 'POST', 'v3/conversations', { members: [] })).status, 400);
    });

    it('serves the roster: pagedmembers with continuation tokens, and members', async () => {
      const page1 = await call(fake, 'GET', 'v3/conversations/19%3Ateam/pagedmembers?pageSize=4');
      assert.equal(page1.body.members.length, 4);
      assert.ok(page1.body.continuationToken);
      const page2 = await call(fake, 'GET', `v3/conversations/19%3Ateam/pagedmembers?pageSize=4&continuationToken=${encodeURIComponent(page1.body.continuationToken)}`);
      assert.equal(page2.body.members.length, 2);
      assert.equal(page2.body.continuationToken, undefined);
      assert.deepEqual([...page1.body.members, ...page2.body.members], MOCK_MEMBERS);
      assert.deepEqual(Object.keys(MOCK_MEMBERS[0]).sort(), ['aadObjectId', 'email', 'id', 'name', 'tenantId', 'userPrincipalName']);

      const team: FakeMember[] = [{ id: '29:only', name: 'Only One', aadObjectId: 'aad-1', email: 'one@x.example' }];
      fake.setRoster(team, '19:other-team');
      const all = await call(fake, 'GET', 'v3/conversations/19%3Aother-team/members');
      assert.deepEqual(all.body, [{ ...team[0], objectId: 'aad-1' }]);
      assert.deepEqual((await call(fake, 'GET', 'v3/conversations/19%3Aother-team/pagedmembers')).body, { members: team });
    });

    it('answers unknown routes with 404', async () => {
      assert.equal((await call(fake, 'GET', 'v3/nothing')).status, 404);
    });

    it('stop() closes open keep-alive sockets', async () => {
      await send(fake, 'a:1');
      await fake.stop();
      await assert.rejects(send(fake, 'a:1'));
    });
  });

  describe("Teams's rate limits", () => {
    beforeEach(async () => {
      fake = await new FakeTeams().start();
    });

    it('8 quick sends to one conversation: the 8th gets 429 with Retry-After', async () => {
      const answers: Answer[] = [];
      for (let i = 0; i < 8; i++) answers.push(await send(fake, 'a:busy', `m${i}`));
      assert.deepEqual(answers.map((a) => a.status), [201, 201, 201, 201, 201, 201, 201, 429]);
      const throttled = answers[7];
      assert.match(throttled.retryAfter ?? '', /^[1-9]\d*$/);
      assert.equal(throttled.body.error.code, 'Throttled');
      assert.equal(fake.messagesTo('a:busy').length, 7, 'the 429 was not recorded as sent');
      assert.equal(fake.throttled.length, 1);
      assert.equal(fake.throttled[0].conversationId, 'a:busy');
      assert.match(fake.throttled[0].reason, /conversation limit 7 per 1 s/);
      assert.equal((await send(fake, 'a:other')).status, 201, 'other conversations are not affected');
    });

    it('51 quick sends across 51 conversations: the 51st gets 429 (50 per second per tenant)', async () => {
      // All at once, so that a slow machine still gets them into one second.
      const answers = await Promise.all(Array.from({ length: 51 }, (_, i) => send(fake, `a:conv-${i}`)));
      assert.equal(answers.filter((a) => a.status === 201).length, 50);
      const throttled = answers.filter((a) => a.status === 429);
      assert.equal(throttled.length, 1);
      assert.equal(throttled[0].retryAfter, '1');
      assert.deepEqual(fake.requests.map((r) => r.status), [...Array(50).fill(201), 429], 'the 51st to arrive got the 429');
      assert.match(fake.throttled[0].reason, /tenant limit 50 per 1 s/);
      assert.equal((await send(fake, 'a:conv-x', 'hi', 'another-tenant')).status, 201, 'another tenant has its own budget');
    });

    it('createConversation counts too; updates and roster reads do not', async () => {
      for (let i = 0; i < 7; i++) assert.equal((await call(fake, 'POST', 'v3/conversations', { members: [{ id: '29:u' }] })).status, 201);
      assert.equal((await call(fake, 'POST', 'v3/conversations', { members: [{ id: '29:u' }] })).status, 429);
      for (let i = 0; i < 10; i++) assert.equal((await call(fake, 'PUT', 'v3/conversations/a%3Ax/activities/1', message('u'))).status, 200);
      for (let i = 0; i < 10; i++) assert.equal((await call(fake, 'GET', 'v3/conversations/19%3At/pagedmembers')).status, 200);
    });

    it('a send after the Retry-After succeeds; earlyRetries() reports retries that came too soon', async function () {
      for (let i = 0; i < 7; i++) await send(fake, 'a:1');
      const first = await send(fake, 'a:1');
      assert.equal(first.status, 429);
      const tooSoon = await send(fake, 'a:1');
      assert.equal(tooSoon.status, 429);
      await sleep(Number(tooSoon.retryAfter) * 1000);
      assert.equal((await send(fake, 'a:1')).status, 201);
      const early = fake.earlyRetries();
      assert.equal(early.length, 1, 'only the first 429 was retried too early');
      assert.equal(early[0].throttle, fake.throttled[0]);
    });
  });

  it('limits are configurable: several windows, Retry-After from the window that frees last', async () => {
    fake = await new FakeTeams({
      limits: { conversation: [{ limit: 3, windowMs: 500 }, { limit: 4, windowMs: 3_000 }], tenant: [] },
    }).start();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(fake, 'a:1')).status);
    assert.deepEqual(statuses, [201, 201, 201, 429]);
    await sleep(520);
    assert.equal((await send(fake, 'a:1')).status, 201, 'the 500 ms window has passed');
    const fifth = await send(fake, 'a:1');
    assert.equal(fifth.status, 429, 'the 3 s window holds');
    assert.equal(fifth.retryAfter, '3');
  });

  it('limits: false turns throttling off', async () => {
    fake = await new FakeTeams({ limits: false }).start();
    for (let i = 0; i < 20; i++) assert.equal((await send(fake, 'a:1')).status, 201);
  });

  describe('fault injection', () => {
    beforeEach(async () => {
      fake = await new FakeTeams({ limits: false }).start();
    });

    it('403 ConversationBlockedByUser (with a subCode), then normal after `times`', async () => {
      fake.failFor('a:blocked', { status: 403, code: 'ConversationBlockedByUser', subCode: 'MessageWritesBlocked', times: 1 });
      const blocked = await send(fake, 'a:blocked');
      assert.equal(blocked.status, 403);
      assert.deepEqual(blocked.body, {
        error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.', subCode: 'MessageWritesBlocked' },
      });
      assert.equal((await send(fake, 'a:blocked')).status, 201);
      assert.equal((await send(fake, 'a:fine')).status, 201);
      assert.deepEqual(fake.requestsTo('a:blocked').map((r) => r.status), [403, 201]);
    });

    it('403 BotNotInConversationRoster, 404 ConversationNotFound and 5xx, forever by default', async () => {
      fake.failFor('a:roster', { status: 403, code: 'BotNotInConversationRoster' });
      fake.failFor('a:gone', { status: 404 });
      for (const status of [500, 502, 503, 504]) fake.failFor(`a:${status}`, { status });
      for (let i = 0; i < 2; i++) {
        assert.deepEqual((await send(fake, 'a:roster')).body.error.code, 'BotNotInConversationRoster');
        const gone = await send(fake, 'a:gone');
        assert.equal(gone.status, 404);
        assert.equal(gone.body.error.code, 'ConversationNotFound');
        for (const status of [500, 502, 503, 504]) {
          const answer = await send(fake, `a:${status}`);
          assert.equal(answer.status, status);
          assert.equal(answer.retryAfter, null);
          assert.ok(answer.body.error.code);
        }
      }
      assert.equal(fake.sent.length, 0);
    });

    it("a fault for '*' hits every conversation; faults can carry Retry-After and other headers", async () => {
      fake.failFor('*', { status: 503, retryAfterSec: 2, times: 2 });
      const a = await send(fake, 'a:1');
      const b = await call(fake, 'POST', 'v3/conversations', { members: [{ id: '29:u' }] });
      assert.deepEqual([a.status, a.retryAfter, b.status], [503, '2', 503]);
      assert.equal((await send(fake, 'a:1')).status, 201);
      const date = new Date(Date.now() + 5_000).toUTCString();
      fake.failFor('a:2', { status: 429, headers: { 'Retry-After': date }, times: 1 });
      assert.equal((await send(fake, 'a:2')).retryAfter, date);
    });

    it('random 429s at a seeded rate, with Retry-After: 1, the same every run', async () => {
      const run = async () => {
        fake.reset();
        fake.setRandom429Rate(0.3, 7);
        const statuses: number[] = [];
        for (let i = 0; i < 40; i++) statuses.push((await send(fake, `a:${i}`)).status);
        return statuses;
      };
      const first = await run();
      const throttled = first.filter((s) => s === 429).length;
      assert.ok(throttled >= 4 && throttled <= 24, `about 30% throttled, got ${throttled}`);
      assert.ok(fake.throttled.every((t) => t.retryAfterSec === 1 && t.reason === 'random'));
      assert.deepEqual(await run(), first);
    });

    it('latencyMs delays every answer', async () => {
      fake.setLatency(150);
      const answer = await send(fake, 'a:1');
      assert.equal(answer.status, 201);
      assert.ok(answer.ms >= 140, `took ${answer.ms} ms`);
    });
  });
});
