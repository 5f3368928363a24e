import assert from 'node:assert/strict';
import { digestMessageId } from '../../src/app/send-digest';
import { cardMessage } from '../../src/domain/outgoing-message';
import { cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { USERS } from '../support/activities';
import { contosoForm, TENANT } from './deal-fixtures';

const ALEX = USERS.alex.aadObjectId; // Asia/Shanghai (the fixture's localTimezone)

/**
 * One path for proactive cards: a job queues what it means as data, and the send worker draws the card when it
 * sends it; a message stored before that (its card already drawn) is still sent as it was stored.
 */
describe('proactive cards: queued as data, drawn when sent (through /api/messages)', () => {
  const h = new DealDeskHarness();
  /** Cards Teams received proactively (not replies), oldest first. */
  const proactiveCards = () =>
    h.connector.sent.filter((s) => s.kind !== 'update' && !s.body.replyToId).flatMap((s) => (s.body.attachments ?? []).map((a: any) => a.content));
  const until = async (what: string, found: () => any) => {
    for (let i = 0; i < 100; i++) {
      await h.app.scheduler.runOnce();
      await h.app.notifier.runOnce();
      const value = found();
      if (value) return value;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.fail(`${what}: never sent`);
  };

  before(async () => {
    await h.start();
    await h.say('help'); // Alex's 1:1 chat and his digest job (Mon 30 Nov 08:00 in Shanghai)
    await h.press('deal.create', { ...contosoForm, title: 'Soon', closeDate: '2026-12-20', value: '300k' });
  });
  after(() => h.stop());

  it('the weekly digest is stored as the digest (no drawn card, no whole deals) and Teams gets the card `digest` shows', async () => {
    h.advance(Date.parse('2026-11-30T00:00:30Z') - h.clock.now().getTime()); // Mon 08:00:30 in Shanghai
    const sent = await until('the digest', () => proactiveCards().find((c) => /weekly digest · 2026-W49/.test(cardText(c))));

    const stored = (await h.store.deliveries.get(TENANT, undefined, digestMessageId(ALEX, '2026-W49')))!.delivery;
    assert.equal(stored.payload?.type, 'digest');
    const json = JSON.stringify(stored.payload);
    assert.doesNotMatch(json, /AdaptiveCard/, 'what it means, not a drawn card');
    assert.doesNotMatch(json, /"history"|"evidence"/, 'the fields the card shows, not the deal documents');

    const onDemand = (await h.say('digest')).cards[0];
    assert.deepEqual(sent, onDemand, 'the same card the digest command shows at the same moment');
  });

  it('a message stored before cards were queued as data (its card drawn) is still sent as it was stored', async () => {
    const at = h.clock.now().toISOString();
    const drawn = { type: 'AdaptiveCard', version: '1.5', speak: 'stored earlier', body: [{ type: 'TextBlock', text: 'A card drawn before intents', wrap: true }] };
    const recipient = { kind: 'person' as const, key: ALEX, name: 'Alex Wilber', locale: 'en-US' as const };
    assert.ok(await h.store.deliveries.createIfAbsent(cardMessage(TENANT, `nudge|${ALEX}|2026-11-29`, recipient, { type: 'card', card: drawn }, at)));
    const sent = await until('the stored card', () => proactiveCards().find((c) => /A card drawn before intents/.test(cardText(c))));
    assert.deepEqual(sent, drawn);
    const stored = (await h.store.deliveries.get(TENANT, undefined, `nudge|${ALEX}|2026-11-29`))!.delivery;
    assert.equal(stored.state, 'sent');
  });
});
