import assert from 'node:assert/strict';
import { cardPress, USERS, type UserKey } from '../support/activities';
import { buttons, cardText, fact } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';

/**
 * A card refresh as Teams posts it (Universal Actions, "adaptiveCard/action" invoke): the card's
 * `refresh.action` with `trigger: "automatic"` when a listed user opens it, "manual" from the card's menu.
 */
function refreshInvoke(h: DealDeskHarness, data: Record<string, unknown>, as: UserKey = 'alex', trigger: 'automatic' | 'manual' = 'automatic') {
  const activity = cardPress('deal.refresh', data, { as, serviceUrl: h.connector.url });
  activity.value = { action: { type: 'Action.Execute', title: 'Refresh', verb: 'deal.refresh', data }, trigger };
  return activity;
}

describe('live deal cards: refresh to the current deal, stale presses answered with it (through /api/messages)', () => {
  const h = new DealDeskHarness();
  const stored = async () => (await h.store.deals.get(TENANT, 'D-1001'))!.deal;
  const refresh = async (data: Record<string, unknown>, as: UserKey = 'alex') => {
    const { status, body } = await h.post(refreshInvoke(h, data, as));
    return { status, body, card: body?.type === 'application/vnd.microsoft.card.adaptive' ? body.value : undefined, message: body?.type === 'application/vnd.microsoft.activity.message' ? body.value : undefined };
  };
  before(async () => {
    await h.start();
    await h.press('deal.create', contosoForm); // D-1001, owned by Alex
    await h.say('help', { as: 'megan' }); // DealDesk knows Megan (her Teams id) once she has chatted with it
  });
  after(() => h.stop());

  it('every deal card carries a refresh (verb deal.refresh, its deal id) after its buttons', async () => {
    const card = (await h.say('deal D-1001')).cards[0];
    assert.deepEqual(card.refresh.action, { type: 'Action.Execute', title: 'Refresh', verb: 'deal.refresh', data: { dealId: 'D-1001' } });
    assert.equal(Object.keys(card).at(-1), 'refresh');
  });

  it('every button that acts on the deal carries the revision the card shows', async () => {
    const card = (await h.say('deal D-1001')).cards[0];
    const acting = buttons(card).filter((b) => b.data.dealId && b.verb !== 'deal.refresh');
    assert.deepEqual(acting.map((b) => b.verb).sort(), ['deal.advance', 'deal.closeLost', 'deal.closeWon', 'deal.edit']);
    const { rev } = await stored();
    for (const b of acting) assert.equal(b.data.rev, rev, `${b.verb} carries rev`);
  });

  it('a refresh shows the deal as it stands now, and stays live for its owner and team', async () => {
    await h.say('set D-1001 value 2.5m');
    await h.say('set D-1001 close date 2027-06-30');
    await h.say('add Megan Bowen to D-1001 as architect');
    const { status, card } = await refresh({ dealId: 'D-1001' });
    assert.equal(status, 200);
    assert.equal(fact(card!, 'NWS value'), '$2,500,000');
    assert.equal(fact(card!, 'Close date'), 'Jun 30, 2027');
    assert.deepEqual(buttons(card!).find((b) => b.verb === 'deal.advance')!.data, { dealId: 'D-1001', rev: (await stored()).rev });
    assert.equal(card!.refresh.action.verb, 'deal.refresh');
    // Alex (the owner) and Megan (deal team) have talked to DealDesk: Teams refreshes their copies on its own.
    assert.deepEqual(card!.refresh.userIds, [USERS.alex.id, USERS.megan.id]);
  });

  it('an ordinary deal card (not a refresh) lists its owner and team for Teams to refresh, from the deal itself', async () => {
    // The deal carries their Teams ids (the owner's from the message that created it, the member's from the roster
    // or their own messages), so no store read is needed to build the list.
    const card = (await h.say('deal D-1001', { as: 'adele' })).cards[0];
    assert.deepEqual(card.refresh.userIds, [USERS.alex.id, USERS.megan.id]);
  });

  it('anyone in the tenant may refresh (a manual refresh from the card menu); it changes nothing', async () => {
    const before = await stored();
    const { card } = await h.post(refreshInvoke(h, { dealId: 'D-1001' }, 'adele', 'manual')).then((r) => ({ card: r.body?.value }));
    assert.match(cardText(card), /^D-1001 · Prospect$/m);
    assert.equal((await stored()).rev, before.rev);
  });

  it('a refresh for a deal that does not exist, or with hostile data, gets a clear message', async () => {
    assert.match((await refresh({ dealId: 'D-9999' })).message, /I can't find a deal matching "D-9999"/);
    assert.match((await refresh({ dealId: '<script>' })).message, /That card is out of date or incomplete/);
    assert.match((await refresh({})).message, /That card is out of date or incomplete/);
  });

  for (const verb of ['deal.advance', 'deal.edit', 'deal.closeWon', 'deal.closeLost']) {
    it(`a stale press of ${verb} is answered with the fresh card and the changed-meanwhile notice; nothing is written`, async () => {
      const old = (await h.say('deal D-1001')).cards[0];
      const pressed = buttons(old).find((b) => b.verb === verb)!;
      await h.say('set D-1001 probability 55'); // someone changes the deal meanwhile
      const before = await stored();
      const answer = await h.press(pressed.verb, pressed.data);
      assert.match(cardText(answer.card!), /This deal changed since that card was shown, so nothing was changed/);
      assert.equal(fact(answer.card!, 'Probability (%)'), '55%');
      assert.deepEqual(buttons(answer.card!).find((b) => b.verb === 'deal.edit')!.data, { dealId: 'D-1001', rev: before.rev });
      const after = await stored();
      assert.equal(after.rev, before.rev);
      assert.equal(after.stage, 'Prospect');
      await h.say('set D-1001 probability 40');
    });
  }
});

describe('a press whose card DealDesk cannot replace for everyone still answers the presser (through /api/messages)', () => {
  const h = new DealDeskHarness();
  /** A new deal of Alex's, in Prospect: advancing it to Qualify passes its gate. */
  const freshDeal = async () => /Created (D-\d+)/.exec(cardText((await h.press('deal.create', contosoForm)).card!))![1];
  const stored = async (id: string) => (await h.store.deals.get(TENANT, id))!.deal;
  const advance = async (id: string, spoil: (a: any) => void = () => undefined) => {
    const activity = cardPress('deal.advance', { dealId: id, rev: (await stored(id)).rev }, { as: 'alex', serviceUrl: h.connector.url });
    spoil(activity);
    return h.post(activity);
  };
  const updates = () => h.connector.sent.filter((s) => s.kind === 'update').length;
  before(() => h.start());
  after(() => h.stop());

  it('pressing a card with a refresh normally also replaces the message for everyone (a PUT to Teams)', async () => {
    const id = await freshDeal();
    const before = updates();
    const { status, body } = await advance(id);
    assert.equal(status, 200);
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    assert.equal((await stored(id)).stage, 'Qualify');
    assert.equal(updates(), before + 1);
  });

  it('Teams refuses the PUT (a card someone shared from the compose box is their message): the presser gets the card, the change is kept', async () => {
    const id = await freshDeal();
    const press = cardPress('deal.advance', {}, { as: 'alex', serviceUrl: h.connector.url });
    h.connector.failFor(press.conversation.id, { status: 403, code: 'Forbidden' });
    try {
      const { status, body } = await advance(id);
      assert.equal(status, 200);
      assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
      assert.doesNotMatch(cardText(body.value), /went wrong|try again/i);
      assert.equal((await stored(id)).stage, 'Qualify');
      assert.deepEqual(h.logger.errors().map((l) => l.msg), []);
      assert.ok(h.logger.lines.some((l) => l.msg === 'could not replace the card for everyone; the presser got it'));
    } finally {
      h.connector.clearFaults();
    }
  });

  it('a press that names no message to replace (no replyToId) is answered with the card, and nothing is logged as an error', async () => {
    const id = await freshDeal();
    const before = updates();
    const { status, body } = await advance(id, (a) => delete a.replyToId);
    assert.equal(status, 200);
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    assert.equal((await stored(id)).stage, 'Qualify');
    assert.equal(updates(), before);
    assert.deepEqual(h.logger.errors().map((l) => l.msg), []);
  });
});
