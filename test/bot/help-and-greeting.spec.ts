import { isDeepStrictEqual } from 'node:util';
import sinon from 'sinon';
import assert from 'node:assert/strict';
import { addedToTeam, installed, personalText } from '../support/activities';
import { button, buttons, cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { parseCommand } from '../../src/chat/parse-command';

describe('help, greeting and anything else (through /api/messages)', () => {
  const h = new DealDeskHarness();
  before(() => h.start());
  after(() => h.stop());

  it('"help" answers with a card that lists the commands and has New deal and My deals buttons', async () => {
    const said = await h.say('help');
    assert.equal(said.status, 200);
    assert.equal(said.cards.length, 1);
    const card = said.cards[0];
    assert.equal(card.version, '1.5');
    assert.match(cardText(card), /What DealDesk can do/);
    for (const syntax of ['new deal', 'deal <deal>', 'move <deal> to <stage> [note]', 'set <deal> <field> <value>', 'close <deal> won|lost [reason]']) {
      assert.ok(cardText(card).includes(syntax), `help lists ${syntax}`);
    }
    assert.equal(button(card, 'New deal').verb, 'deal.newForm');
    assert.equal(button(card, 'My deals').verb, 'pipeline.show');
  });

  it('is forgiving: " HELP " works, and so does an @mention in a channel', async () => {
    assert.match(cardText((await h.say('  HELP  ')).cards[0]), /What DealDesk can do/);
    assert.match(cardText((await h.sayInChannel('help')).cards[0]), /What DealDesk can do/);
  });

  it('the help card speaks Chinese to a zh-CN user', async () => {
    const card = (await h.say('help', { locale: 'zh-CN' })).cards[0];
    assert.match(cardText(card), /DealDesk 能做什么/);
    assert.ok(button(card, '新建商机'));
  });

  it('anything else gets a short "I didn\'t get that" with the closest command and a Help button', async () => {
    const card = (await h.say('hlep')).cards[0];
    assert.match(cardText(card), /I didn't get that\. Did you mean `help`\?/);
    assert.ok(buttons(card).some((b) => b.title === 'Help' && isDeepStrictEqual(b.data.command, { name: 'help' })));
    const nothingClose = (await h.say('what is the weather')).cards[0];
    assert.match(cardText(nothingClose), /^I didn't get that\.$/m);
  });

  it('when installed in a personal chat it says hello once with the help card and stores the conversation reference', async () => {
    const first = await h.send(installed({ serviceUrl: h.connector.url, as: 'megan' }));
    assert.equal(first.cards.length, 1);
    assert.match(cardText(first.cards[0]), /Hi, I'm DealDesk/);
    const again = await h.send(installed({ serviceUrl: h.connector.url, as: 'megan' }));
    assert.equal(again.cards.length, 0, 'no second hello');
    const stored = await h.store.conversations.get('00000000-0000-0000-0000-000000000001', 'a:personal-megan');
    assert.equal(stored?.conversationType, 'personal');
    assert.equal(stored?.installed, true);
    assert.equal((stored?.reference as any).serviceUrl, h.connector.url);
    assert.equal((stored?.reference as any).conversation.id, 'a:personal-megan');
  });

  it('when added to a team it greets the channel once and stores the channel reference', async () => {
    const first = await h.send(addedToTeam({ serviceUrl: h.connector.url }));
    assert.equal(first.cards.length, 1);
    assert.equal((await h.send(addedToTeam({ serviceUrl: h.connector.url }))).cards.length, 0);
    const stored = await h.store.conversations.get('00000000-0000-0000-0000-000000000001', '19:a8b7c6d5e4f34a2b1c0d9e8f7a6b5c4d@thread.tacv2');
    assert.equal(stored?.conversationType, 'channel');
  });

  it('an activity that does not say who sent it is answered, not acted on', async () => {
    const activity: any = personalText('new deal', { serviceUrl: h.connector.url });
    delete activity.conversation.tenantId;
    delete activity.channelData.tenant;
    const said = await h.send(activity);
    assert.equal(said.status, 200);
    assert.match(said.texts[0], /can't tell who you are/);
  });

  it('malformed JSON is refused with 400, and the service keeps working', async () => {
    const res = await fetch(`${h.app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "message", ' });
    assert.equal(res.status, 400);
    assert.equal((await h.say('help')).cards.length, 1);
  });

  it('ordinary messages do not rewrite the stored conversation reference each turn', async () => {
    await h.say('help', { as: 'adele' });
    const save = sinon.spy(h.store.conversations, 'save');
    try {
      await h.say('help', { as: 'adele' });
      await h.say('my deals', { as: 'adele' });
      assert.equal(save.callCount, 0, 'nothing a proactive send needs has changed');
    } finally {
      save.restore();
    }
  });

  it('health probes answer', async () => {
    assert.equal((await fetch(`${h.app.url}/healthz`)).status, 200);
    const ready = await fetch(`${h.app.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
  });
});
