import assert from 'node:assert/strict';
import { cardPress, type UserKey } from '../support/activities';
import { cardText, fact, rendered } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';

type Command = 'addNextStep' | 'logOnDeal';

/** The selected Teams message, as `value.messagePayload` carries it (body.content is HTML). */
const messagePayload = (html: string) => ({
  id: '1764150000000',
  replyToId: null,
  createdDateTime: '2026-11-26T09:10:00.000Z',
  lastModifiedDateTime: null,
  deleted: false,
  subject: null,
  summary: null,
  importance: 'normal',
  locale: 'en-us',
  linkToMessage: 'https://teams.microsoft.com/l/message/19:abc@thread.v2/1764150000000',
  body: { contentType: 'html', content: html },
  attachments: [],
  from: { device: null, conversation: null, user: { userIdentityType: 'aadUser', id: '00000000-0000-0000-0000-0000000000022', displayName: 'Adele Vance' }, application: null },
  reactions: [],
  mentions: [],
});

/** An action command on a message, as Teams posts it: `composeExtension/fetchTask`, then `composeExtension/submitAction`. */
function invoke(h: DealDeskHarness, name: 'composeExtension/fetchTask' | 'composeExtension/submitAction', commandId: Command, html: string, as: UserKey, data?: Record<string, unknown>) {
  const activity = cardPress('x', {}, { as, serviceUrl: h.connector.url });
  activity.name = name;
  delete activity.replyToId;
  activity.channelData = { ...activity.channelData, source: { name: 'message' } };
  activity.value = { commandId, commandContext: 'message', messagePayload: messagePayload(html), context: { theme: 'default' }, ...(data ? { data } : {}) };
  return activity;
}

describe('actions on any message: "Add as next step" and "Log on deal" (through /api/messages)', () => {
  const h = new DealDeskHarness();
  const stored = async (id = 'D-1001') => (await h.store.deals.get(TENANT, id))!.deal;

  /** Opens the dialog: the task module's Adaptive Card. */
  const open = async (command: Command, html: string, as: UserKey = 'alex') => {
    const { status, body } = await h.post(invoke(h, 'composeExtension/fetchTask', command, html, as));
    assert.equal(status, 200);
    return body;
  };
  const submit = async (command: Command, data: Record<string, unknown>, as: UserKey = 'alex') => {
    const { status, body } = await h.post(invoke(h, 'composeExtension/submitAction', command, '<p>x</p>', as, { dd: 1, ...data }));
    assert.equal(status, 200);
    return body;
  };
  const inputOf = (card: any, id: string) => card.body.find((e: any) => e.id === id);
  const dialogCard = (body: any) => {
    assert.equal(body.task.type, 'continue', JSON.stringify(body));
    assert.equal(body.task.value.card.contentType, 'application/vnd.microsoft.card.adaptive');
    return body.task.value.card.content;
  };

  before(async () => {
    await h.start();
    await h.press('deal.create', contosoForm); // D-1001 (Alex)
    await h.press('deal.create', { ...contosoForm, title: 'Premier Support renewal', account: 'Fabrikam' }); // D-1002 (Alex)
    await h.press('deal.create', { ...contosoForm, title: 'Premier Support uplift', account: 'Fabrikam' }); // D-1003 (Alex)
    await h.press('deal.create', { ...contosoForm, title: 'Megan deal', account: 'Tailspin' }, { as: 'megan' }); // D-1004 (Megan)
    await h.press('deal.create', { ...contosoForm, title: 'Lost cause', account: 'Northwind' }); // D-1005 (Alex), closed below
    await h.say('close D-1005 lost budget cut');
    await h.say('set D-1002 probability 50'); // D-1002 is now the most recently updated
  });
  after(() => h.stop());

  it('fetchTask opens a dialog: the message text without HTML, and the user\'s open deals (not closed ones), most recently updated first', async () => {
    const body = await open('addNextStep', '<p>Send the <b>SOW</b> &amp; pricing&nbsp;to&#160;Jane&#x27;s team<br>by Friday</p><script>alert(1)</script>');
    assert.equal(body.task.value.title, 'Add as next step');
    const card = dialogCard(body);
    assert.equal(inputOf(card, 'text').value, "Send the SOW & pricing to Jane's team by Friday");
    assert.equal(inputOf(card, 'text').maxLength, 500);
    assert.deepEqual(inputOf(card, 'dealId').choices.map((c: any) => c.value), ['D-1002', 'D-1003', 'D-1001']);
    assert.ok(inputOf(card, 'dealRef'));
    assert.deepEqual(card.actions.map((a: any) => a.type), ['Action.Submit']);
  });

  it('a long message is trimmed to the field\'s limit (500 for a next step, 1000 for a note)', async () => {
    const long = 'x'.repeat(3000);
    assert.equal(inputOf(dialogCard(await open('addNextStep', `<p>${long}</p>`)), 'text').value.length, 500);
    assert.equal(inputOf(dialogCard(await open('logOnDeal', `<p>${long}</p>`)), 'text').value.length, 1000);
  });

  it('"Add as next step" sets the text as the chosen deal\'s next step, recorded in its history, and confirms', async () => {
    const body = await submit('addNextStep', { text: 'Send the SOW by Friday', dealId: 'D-1001', dealRef: '' });
    assert.equal(body.task.type, 'message');
    assert.match(body.task.value, /Done: D-1001 \(Azure migration assessment\) has its new next step\./);
    const deal = await stored();
    assert.equal(deal.nextStep, 'Send the SOW by Friday');
    assert.deepEqual(deal.history.at(-1)!.change, { kind: 'field', field: 'nextStep', from: 'Scoping workshop with the CIO', to: 'Send the SOW by Friday' });
    assert.equal(deal.history.at(-1)!.by.name, 'Alex Wilber');
  });

  it('"Log on deal" appends the text to the deal\'s history as a note, shown on the deal card', async () => {
    const before = await stored();
    const body = await submit('logOnDeal', { text: 'CIO confirmed the budget on the call', dealId: '', dealRef: 'azure migration' });
    assert.match(body.task.value, /Done: logged on D-1001/);
    const deal = await stored();
    assert.equal(deal.rev, before.rev + 1);
    assert.equal(deal.nextStep, before.nextStep);
    assert.deepEqual(deal.history.at(-1)!.change, { kind: 'note', text: 'CIO confirmed the budget on the call' });
    const card = (await h.say('deal D-1001')).cards[0];
    assert.match(cardText(card), /Alex Wilber: noted: CIO confirmed the budget on the call/);
  });

  it('hostile text in the message is stored as text and shown escaped, never as markup', async () => {
    const html = '<p>**Win** [click](https://evil.example) &lt;at&gt;Megan&lt;/at&gt; ${deal.id} # heading</p>';
    const text = inputOf(dialogCard(await open('logOnDeal', html)), 'text').value;
    assert.equal(text, '**Win** [click](https://evil.example) <at>Megan</at> ${deal.id} # heading');
    await submit('addNextStep', { text, dealId: 'D-1001' });
    await submit('logOnDeal', { text, dealId: 'D-1001' });
    const deal = await stored();
    assert.equal(deal.nextStep, text);
    const card = (await h.say('deal D-1001')).cards[0];
    const shown = card.body.find((e: any) => e.type === 'FactSet').facts.find((f: any) => f.title === 'Next step').value;
    assert.equal(rendered(shown), text.replace('${', '$\u200b{'));
    assert.ok(!/[^\\]\*\*Win/.test(shown) && !/[^\\]\[click\]/.test(shown) && !/[^\\]<at>/.test(shown), shown);
    const note = card.body.filter((e: any) => e.type === 'TextBlock').map((e: any) => e.text).find((t: string) => t.includes('noted:'));
    assert.ok(note.includes('\\*\\*Win\\*\\* \\[click\\]') && note.includes('\\<at\\>'), note);
    assert.equal(fact(card, 'Next step'), text.replace('${', '$\u200b{'));
  });

  it('an unknown deal: the dialog again with a clear message; nothing stored', async () => {
    const before = await stored();
    for (const data of [{ dealRef: 'D-9999' }, { dealRef: 'no such deal at all' }, { dealId: 'D-9999' }]) {
      const card = dialogCard(await submit('addNextStep', { text: 'Call back', ...data }));
      assert.match(cardText(card), /I can't find a deal matching/);
      assert.equal(inputOf(card, 'text').value, 'Call back');
    }
    assert.equal((await stored()).rev, before.rev);
  });

  it('no deal chosen, or a fragment matching several: the dialog again says what to do', async () => {
    assert.match(cardText(dialogCard(await submit('logOnDeal', { text: 'Call back', dealId: '', dealRef: '' }))), /Choose a deal from the list, or type its id/);
    assert.match(cardText(dialogCard(await submit('logOnDeal', { text: 'Call back', dealRef: 'premier support' }))), /Several deals match "premier support": D-1002, D-1003/);
    assert.match(cardText(dialogCard(await submit('logOnDeal', { text: 'Call back', dealId: '<b>D-1</b>' }))), /Choose a deal from the list/);
  });

  it('someone who does not own the deal: the dialog again says who does; nothing stored', async () => {
    const before = await stored();
    for (const command of ['addNextStep', 'logOnDeal'] as const) {
      const card = dialogCard(await submit(command, { text: 'Megan was here', dealId: 'D-1001' }, 'megan'));
      assert.match(cardText(card), /Only Alex Wilber, who owns D-1001, can change it\./);
    }
    assert.equal((await stored()).rev, before.rev);
    // Her own open deals are the ones she is offered.
    assert.deepEqual(inputOf(dialogCard(await open('logOnDeal', '<p>hi</p>', 'megan')), 'dealId').choices.map((c: any) => c.value), ['D-1004']);
  });

  it('empty or too-long text: the dialog again with a clear message; nothing stored', async () => {
    const before = await stored();
    for (const command of ['addNextStep', 'logOnDeal'] as const) {
      for (const text of ['', '   ', '\u200b\u0000', undefined, 42]) {
        const card = dialogCard(await submit(command, { text, dealId: 'D-1001' }));
        assert.match(cardText(card), /There is no text to add/);
      }
    }
    assert.match(cardText(dialogCard(await submit('addNextStep', { text: 'y'.repeat(501), dealId: 'D-1001' }))), /at most 500 characters \(this one has 501\)/);
    assert.match(cardText(dialogCard(await submit('logOnDeal', { text: 'y'.repeat(1001), dealId: 'D-1001' }))), /at most 1000 characters \(this one has 1001\)/);
    assert.equal((await stored()).rev, before.rev);
    // An empty message opens the dialog with an empty box, to be typed in.
    assert.equal(inputOf(dialogCard(await open('addNextStep', '<p>&nbsp;</p>')), 'text').value, '');
  });

  it('the actor is the activity\'s user: data naming someone else changes nothing about who acts', async () => {
    const card = dialogCard(await submit('logOnDeal', { text: 'spoof', dealId: 'D-1001', from: { aadObjectId: '00000000-0000-0000-0000-0000000000020' }, owner: 'alex' }, 'megan'));
    assert.match(cardText(card), /Only Alex Wilber/);
  });

  it('a message action that does not say which tenant it comes from is answered, never applied', async () => {
    const activity = invoke(h, 'composeExtension/submitAction', 'logOnDeal', '<p>x</p>', 'alex', { text: 'anonymous', dealId: 'D-1001' });
    delete activity.conversation.tenantId;
    delete activity.channelData.tenant;
    const before = await stored();
    const { status, body } = await h.post(activity);
    assert.equal(status, 200);
    assert.equal(body.task.type, 'message');
    assert.equal((await stored()).rev, before.rev);
  });
});
