import assert from 'node:assert/strict';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { MessageFactory } from 'botbuilder';
import { fetchTeamRoster, type TeamMember } from '../../src/bot/team-roster';
import { disableSdkRetries } from '../../src/bot/connector-retries';
import { parseRetryAfter } from '../../src/bot/retry-after';
import { TeamsMessenger, toSendError } from '../../src/bot/teams-messenger';
import { SendError, type ConversationReference } from '../../src/ports/messenger.port';
import { FakeTeams, MOCK_MEMBERS, type FakeMember } from '../support/fake-teams';

const card = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [{ type: 'TextBlock', text: 'D-1001 moved to Qualify', wrap: true }],
};

/** A reference as the bot stores it from an incoming message (it carries that message's id). */
function referenceTo(fake: FakeTeams | string, conversationId: string): ConversationReference {
  return {
    activityId: '1:incoming-message',
    channelId: 'msteams',
    serviceUrl: typeof fake === 'string' ? fake : fake.url,
    conversation: { id: conversationId, tenantId: 'tenant-1', conversationType: 'personal' },
    bot: { id: '28:dealdesk', name: 'DealDesk' },
    user: { id: '29:user-id-0', name: 'Alex Wilber', aadObjectId: 'aad-0' },
    locale: 'en-US',
  };
}

async function sendError(promise: Promise<unknown>): Promise<SendError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof SendError, `expected a SendError, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
    return err;
  }
  assert.fail('expected a SendError');
}

/** A closed port: connecting to it is refused at once. */
async function deadUrl(): Promise<string> {
  const dead = await new FakeTeams().start();
  const url = dead.url;
  await dead.stop();
  return url;
}

describe('TeamsMessenger against a fake Teams connector (real HTTP, real botbuilder)', function () {
  this.timeout(15_000);
  let fake: FakeTeams;
  let adapter: TeamsAdapter;
  let messenger: TeamsMessenger;

  beforeEach(async () => {
    fake = await new FakeTeams().start();
    adapter = new TeamsAdapter({}); // auth off, as in local mode
    messenger = new TeamsMessenger(adapter, '');
  });
  afterEach(() => fake.stop());

  describe('sendCard', () => {
    it('posts the card as a new message into the conversation and returns its activity id', async () => {
      const { activityId } = await messenger.sendCard(referenceTo(fake, 'a:chat-1'), card);
      const [message] = fake.messagesTo('a:chat-1');
      assert.equal(message.type, 'message');
      assert.deepEqual(message.attachments, [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }]);
      assert.deepEqual(message.conversation, { id: 'a:chat-1', tenantId: 'tenant-1', conversationType: 'personal' });
      assert.equal(message.recipient.id, '29:user-id-0');
      assert.equal(message.from.id, '28:dealdesk');
      assert.equal(activityId, fake.sent[0].activityId);
      assert.equal(fake.sent[0].kind, 'send', "a new message (POST …/activities), not a reply to the reference's activity");
      assert.equal(message.replyToId, undefined);
    });

    it('429 → SendError 429 with retryAfterMs from Retry-After, after ONE request (no SDK retry)', async () => {
      fake.failFor('a:chat-1', { status: 429, retryAfterSec: 3 });
      const err = await sendError(messenger.sendCard(referenceTo(fake, 'a:chat-1'), card));
      assert.equal(err.status, 429);
      assert.equal(err.code, 'Throttled');
      assert.equal(err.retryAfterMs, 3000);
      assert.equal(err.message, 'Too many requests.');
      assert.equal(fake.requestsTo('a:chat-1').length, 1);
    });

    it("Teams's own limit: the 8th quick send gets 429 and the fake saw exactly 8 requests", async () => {
      const results: Array<SendError | string | undefined> = [];
      for (let i = 0; i < 8; i++) {
        results.push(await messenger.sendCard(referenceTo(fake, 'a:busy'), card).then((r) => r.activityId, (e) => e));
      }
      assert.ok(results.slice(0, 7).every((r) => typeof r === 'string'));
      const err = results[7] as SendError;
      assert.ok(err instanceof SendError);
      assert.equal(err.status, 429);
      assert.ok(err.retryAfterMs! >= 1000 && err.retryAfterMs! % 1000 === 0, `retryAfterMs ${err.retryAfterMs}`);
      assert.equal(fake.requests.length, 8);
    });

    it('Retry-After as an HTTP date → retryAfterMs until that date', async () => {
      fake.failFor('a:chat-1', { status: 429, headers: { 'Retry-After': new Date(Date.now() + 10_000).toUTCString() } });
      const err = await sendError(messenger.sendCard(referenceTo(fake, 'a:chat-1'), card));
      assert.ok(err.retryAfterMs! > 8_000 && err.retryAfterMs! <= 10_000, `retryAfterMs ${err.retryAfterMs}`);
    });

    it('403 ConversationBlockedByUser (with subCode MessageWritesBlocked)', async () => {
      fake.failFor('a:chat-1', { status: 403, code: 'ConversationBlockedByUser', subCode: 'MessageWritesBlocked' });
      const err = await sendError(messenger.sendCard(referenceTo(fake, 'a:chat-1'), card));
      assert.deepEqual([err.status, err.code, err.subCode, err.retryAfterMs], [403, 'ConversationBlockedByUser', 'MessageWritesBlocked', undefined]);
      assert.equal(err.message, 'User blocked the conversation with the bot.');
      assert.equal(err.name, 'SendError');
    });

    it('403 BotNotInConversationRoster', async () => {
      fake.failFor('19:channel@thread.tacv2', { status: 403, code: 'BotNotInConversationRoster' });
      const err = await sendError(messenger.sendCard(referenceTo(fake, '19:channel@thread.tacv2'), card));
      assert.deepEqual([err.status, err.code, err.subCode], [403, 'BotNotInConversationRoster', undefined]);
    });

    it('404 ConversationNotFound', async () => {
      fake.failFor('a:chat-1', { status: 404 });
      const err = await sendError(messenger.sendCard(referenceTo(fake, 'a:chat-1'), card));
      assert.deepEqual([err.status, err.code], [404, 'ConversationNotFound']);
    });

    for (const status of [500, 502, 503, 504]) {
      it(`${status} → SendError ${status} after one request, at once (the SDK would back off 1 s, 2 s, 4 s)`, async () => {
        fake.failFor('a:chat-1', { status });
        const started = Date.now();
        const err = await sendError(messenger.sendCard(referenceTo(fake, 'a:chat-1'), card));
        assert.equal(err.status, status);
        assert.ok(err.code);
        assert.equal(fake.requestsTo('a:chat-1').length, 1);
        assert.ok(Date.now() - started < 900, `took ${Date.now() - started} ms`);
      });
    }

    it('503 with Retry-After → retryAfterMs, one request', async () => {
      fake.failFor('a:chat-1', { status: 503, retryAfterSec: 0 });
      const err = await sendError(messenger.sendCard(referenceTo(fake, 'a:chat-1'), card));
      assert.deepEqual([err.status, err.retryAfterMs], [503, 0]);
      assert.equal(fake.requestsTo('a:chat-1').length, 1);
    });

    it('a dead serviceUrl → NetworkError with no status, at once', async () => {
      const url = await deadUrl();
      const started = Date.now();
      const err = await sendError(messenger.sendCard(referenceTo(url, 'a:chat-1'), card));
      assert.equal(err.status, undefined);
      assert.equal(err.code, 'NetworkError');
      assert.match(err.message, /ECONNREFUSED/);
      assert.ok(Date.now() - started < 900, `took ${Date.now() - started} ms (the SDK alone retries ~6 s)`);
    });

    it('a connector slower than timeoutMs → NetworkError (the send may still have landed)', async () => {
      const impatient = new TeamsMessenger(adapter, '', { timeoutMs: 100 });
      fake.setLatency(400);
      const err = await sendError(impatient.sendCard(referenceTo(fake, 'a:chat-1'), card));
      assert.deepEqual([err.status, err.code], [undefined, 'NetworkError']);
      assert.match(err.message, /timed out|abort/i);
      assert.equal(fake.sent.length, 1, 'the fake did accept it: a timeout is ambiguous');
    });

    it('still throws when the app has an onTurnError handler (which would swallow errors inside the turn)', async () => {
      const swallowed: unknown[] = [];
      adapter.onTurnError = async (_ctx, err) => {
        swallowed.push(err);
      };
      fake.failFor('a:chat-1', { status: 404 });
      const err = await sendError(messenger.sendCard(referenceTo(fake, 'a:chat-1'), card));
      assert.equal(err.status, 404);
      assert.deepEqual(swallowed, []);
    });
  });

  describe('updateCard', () => {
    const updated = { ...card, body: [{ type: 'TextBlock', text: 'D-1001 approved by Megan Bowen', wrap: true }] };

    it('replaces the posted message in place: a PUT on its activity id with the new card, no new message', async () => {
      const { activityId } = await messenger.sendCard(referenceTo(fake, 'a:chat-1'), card);
      assert.ok(activityId);
      await messenger.updateCard(referenceTo(fake, 'a:chat-1'), activityId, updated);
      await messenger.updateCard(referenceTo(fake, 'a:chat-1'), activityId, card);
      const updates = fake.updatesTo('a:chat-1');
      assert.deepEqual(updates.map((u) => u.activityId), [activityId, activityId]);
      const put = fake.requestsTo('a:chat-1').filter((r) => r.method === 'PUT');
      assert.deepEqual(put.map((r) => [r.kind, r.path, r.status]), [
        ['update', `/v3/conversations/${encodeURIComponent('a:chat-1')}/activities/${encodeURIComponent(activityId)}`, 200],
        ['update', `/v3/conversations/${encodeURIComponent('a:chat-1')}/activities/${encodeURIComponent(activityId)}`, 200],
      ]);
      const [body] = updates.map((u) => u.body);
      assert.equal(body.type, 'message');
      assert.equal(body.id, activityId);
      assert.deepEqual(body.attachments, [{ contentType: 'application/vnd.microsoft.card.adaptive', content: updated }]);
      assert.deepEqual(body.conversation, { id: 'a:chat-1', tenantId: 'tenant-1', conversationType: 'personal' });
      assert.equal(fake.messagesTo('a:chat-1').length, 1, 'still the one message');
    });

    it('404 → SendError 404 (ConversationNotFound), after one request', async () => {
      fake.failFor('a:chat-1', { status: 404 });
      const err = await sendError(messenger.updateCard(referenceTo(fake, 'a:chat-1'), '1:activity-9', updated));
      assert.deepEqual([err.status, err.code, err.name], [404, 'ConversationNotFound', 'SendError']);
      assert.equal(fake.requestsTo('a:chat-1').length, 1);
      assert.equal(fake.requests[0].method, 'PUT');
    });

    it('429 → SendError 429 with retryAfterMs, and 503 at once: no SDK retry', async () => {
      fake.failFor('a:chat-1', { status: 429, retryAfterSec: 2, times: 1 });
      const throttled = await sendError(messenger.updateCard(referenceTo(fake, 'a:chat-1'), '1:activity-9', updated));
      assert.deepEqual([throttled.status, throttled.retryAfterMs], [429, 2000]);
      fake.failFor('a:chat-1', { status: 503, times: 1 });
      const unavailable = await sendError(messenger.updateCard(referenceTo(fake, 'a:chat-1'), '1:activity-9', updated));
      assert.equal(unavailable.status, 503);
      assert.equal(fake.requestsTo('a:chat-1').length, 2);
    });

    it('still throws when the app has an onTurnError handler', async () => {
      const swallowed: unknown[] = [];
      adapter.onTurnError = async (_ctx, err) => {
        swallowed.push(err);
      };
      fake.failFor('a:chat-1', { status: 403, code: 'BotNotInConversationRoster' });
      const err = await sendError(messenger.updateCard(referenceTo(fake, 'a:chat-1'), '1:activity-9', updated));
      assert.deepEqual([err.status, err.code], [403, 'BotNotInConversationRoster']);
      assert.deepEqual(swallowed, []);
    });
  });

  describe('openPersonalChat', () => {
    it('creates the 1:1 chat and returns a reference whose sendCard reaches a:1on1-…', async () => {
      const reference = await messenger.openPersonalChat({ tenantId: 'tenant-1', serviceUrl: fake.url, userId: '29:user-id-3' });
      assert.deepEqual(reference, {
        channelId: 'msteams',
        serviceUrl: fake.url,
        conversation: { id: 'a:1on1-29:user-id-3', isGroup: false, tenantId: 'tenant-1', conversationType: 'personal' },
        user: { id: '29:user-id-3' },
      });
      assert.deepEqual(JSON.parse(JSON.stringify(reference)), reference, 'plain JSON, ready to store');

      const [created] = fake.created;
      assert.deepEqual(created.body, {
        isGroup: false,
        members: [{ id: '29:user-id-3', name: '' }],
        tenantId: 'tenant-1',
        channelData: { tenant: { id: 'tenant-1' } },
      });

      await messenger.sendCard(reference, card);
      const [message] = fake.messagesTo('a:1on1-29:user-id-3');
      assert.deepEqual(message.attachments[0].content, card);
      assert.equal(message.recipient.id, '29:user-id-3');
      assert.equal(fake.sent[0].kind, 'send');

      const again = await messenger.openPersonalChat({ tenantId: 'tenant-1', serviceUrl: fake.url, userId: '29:user-id-3' });
      assert.deepEqual(again, reference, 'the same member gets the same chat');
    });

    it("with an app id the parameters name the bot '28:<app id>' (the adapter's auth is off, so no token is fetched)", async () => {
      const withId = new TeamsMessenger(adapter, 'app-guid');
      const reference = await withId.openPersonalChat({ tenantId: 'tenant-1', serviceUrl: fake.url, userId: '29:user-id-3' });
      assert.deepEqual(fake.created[0].body.bot, { id: '28:app-guid', name: '' });
      assert.deepEqual(reference.bot, { id: '28:app-guid', name: '' });
      await withId.sendCard(reference, card);
      assert.equal(fake.messagesTo('a:1on1-29:user-id-3')[0].from.id, '28:app-guid');
    });

    it('a blocked user → SendError 403 after one request', async () => {
      fake.failFor('a:1on1-29:user-id-4', { status: 403, code: 'ConversationBlockedByUser' });
      const err = await sendError(messenger.openPersonalChat({ tenantId: 'tenant-1', serviceUrl: fake.url, userId: '29:user-id-4' }));
      assert.deepEqual([err.status, err.code], [403, 'ConversationBlockedByUser']);
      assert.equal(fake.requests.length, 1);
    });

    it('429 → SendError with retryAfterMs, one request', async () => {
      fake.failFor('a:1on1-29:user-id-4', { status: 429, retryAfterSec: 2 });
      const err = await sendError(messenger.openPersonalChat({ tenantId: 'tenant-1', serviceUrl: fake.url, userId: '29:user-id-4' }));
      assert.deepEqual([err.status, err.retryAfterMs], [429, 2000]);
      assert.equal(fake.requests.length, 1);
    });

    it('a dead serviceUrl → NetworkError', async () => {
      const err = await sendError(messenger.openPersonalChat({ tenantId: 'tenant-1', serviceUrl: await deadUrl(), userId: '29:x' }));
      assert.deepEqual([err.status, err.code], [undefined, 'NetworkError']);
    });
  });

  describe("the SDK's own retries", () => {
    const proactiveSend = (a: TeamsAdapter, reference: ConversationReference) =>
      a.continueConversationAsync('', reference, async (ctx) => {
        await ctx.sendActivity(MessageFactory.text('hi'));
      });

    it('botbuilder retries a 429 by itself 3 times, and ConnectorClientOptions cannot stop it', async () => {
      const withOptions = new TeamsAdapter({}, undefined, undefined, { noRetryPolicy: true, retryOptions: { maxRetries: 0 } } as never);
      fake.failFor('a:chat-1', { status: 429, retryAfterSec: 0 });
      await assert.rejects(proactiveSend(withOptions, referenceTo(fake, 'a:chat-1')), (err: any) => err.statusCode === 429);
      assert.equal(fake.requestsTo('a:chat-1').length, 4, '1 try + 3 SDK retries');
    });

    it("the messenger's fail-fast applies to its own calls only; disableSdkRetries(adapter) applies it to all", async () => {
      fake.failFor('a:chat-1', { status: 429, retryAfterSec: 0 });
      await assert.rejects(proactiveSend(adapter, referenceTo(fake, 'a:chat-1')));
      assert.equal(fake.requestsTo('a:chat-1').length, 4, 'a plain call on the same adapter keeps SDK retries');

      fake.reset();
      fake.failFor('a:chat-1', { status: 429, retryAfterSec: 0 });
      disableSdkRetries(adapter);
      disableSdkRetries(adapter); // idempotent
      const err = toSendError(await proactiveSend(adapter, referenceTo(fake, 'a:chat-1')).catch((e) => e));
      assert.deepEqual([err.status, err.code, err.retryAfterMs], [429, 'Throttled', 0]);
      assert.equal(fake.requestsTo('a:chat-1').length, 1);
    });
  });

  describe('fetchTeamRoster', () => {
    const team: FakeMember[] = MOCK_MEMBERS.slice(0, 5);
    const inTeam = (teamId: string, run: (ctx: any) => Promise<void>) =>
      adapter.continueConversationAsync('', referenceTo(fake, `${teamId};messageid=1`), async (ctx) => {
        ctx.activity.channelData = { tenant: { id: 'tenant-1' }, team: { id: teamId } };
        await run(ctx);
      });

    it("reads every page of the team's members (pagedmembers with continuation tokens)", async () => {
      await fake.stop();
      fake = await new FakeTeams({ rosterPageSize: 3 }).start();
      fake.setRoster(team, '19:team@thread.tacv2');
      let roster: TeamMember[] = [];
      await inTeam('19:team@thread.tacv2', async (ctx) => {
        roster = await fetchTeamRoster(ctx);
      });
      assert.deepEqual(
        roster,
        team.map((m) => ({ userId: m.id, aadObjectId: m.aadObjectId, name: m.name, email: m.email, userPrincipalName: m.userPrincipalName })),
      );
      const pages = fake.requests.filter((r) => r.kind === 'pagedmembers');
      assert.equal(pages.length, 2);
      assert.ok(pages.every((p) => p.conversationId === '19:team@thread.tacv2'));
      assert.match(pages[1].path, /continuationToken=/);
    });

    it('passes pageSize through', async () => {
      fake.setRoster(team, '19:team@thread.tacv2');
      let roster: TeamMember[] = [];
      await inTeam('19:team@thread.tacv2', async (ctx) => {
        roster = await fetchTeamRoster(ctx, 2);
      });
      assert.equal(roster.length, 5);
      assert.equal(fake.requests.filter((r) => r.kind === 'pagedmembers').length, 3);
      assert.match(fake.requests[0].path, /pageSize=2/);
    });

    it('shortens a display name to 120 characters, one line, as an activity sender\'s (names are copied into deals)', async () => {
      fake.setRoster([{ ...team[0], name: `Dr.\n${'名'.repeat(300)}` }], '19:team@thread.tacv2');
      let roster: TeamMember[] = [];
      await inTeam('19:team@thread.tacv2', async (ctx) => {
        roster = await fetchTeamRoster(ctx);
      });
      assert.equal(roster[0].name, `Dr. ${'名'.repeat(115)}…`);
    });
  });

  describe('toSendError and parseRetryAfter', () => {
    it('parses Retry-After seconds and HTTP dates', () => {
      const now = Date.parse('2026-01-01T00:00:00Z');
      assert.equal(parseRetryAfter('2', now), 2000);
      assert.equal(parseRetryAfter(' 0 ', now), 0);
      assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
      assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0);
      assert.equal(parseRetryAfter('soon', now), undefined);
      assert.equal(parseRetryAfter(undefined, now), undefined);
    });

    it('maps errors that are not from HTTP', () => {
      assert.equal(toSendError(Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' })).code, 'NetworkError');
      assert.equal(toSendError(new TypeError('`serviceUrl` must be a non-empty string')).code, 'UnknownError');
      const same = new SendError(429, 'Throttled', 'x', 1000);
      assert.equal(toSendError(same), same);
    });
  });
});
