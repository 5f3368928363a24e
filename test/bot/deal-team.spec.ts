import assert from 'node:assert/strict';
import { button, buttons, cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';

describe('the deal team (through /api/messages)', () => {
  const h = new DealDeskHarness();
  const team = async (id = 'D-1001') => (await h.store.deals.get(TENANT, id))!.deal.team.map((m) => `${m.person.name}:${m.role}`);
  before(async () => {
    await h.start();
    for (const as of ['megan', 'adele', 'megan2'] as const) await h.say('help', { as }); // DealDesk knows people who chatted with it
    await h.press('deal.create', contosoForm); // D-1001, Alex's
    await h.press('deal.create', { ...contosoForm, title: 'Megan owns this' }, { as: 'megan' }); // D-1002, Megan's
  });
  after(() => h.stop());

  it('"team D-1001" shows an empty team with a form to add someone', async () => {
    const card = (await h.say('team D-1001')).cards[0];
    assert.match(cardText(card), /Deal team of D-1001/);
    assert.match(cardText(card), /No one is on the deal team yet\./);
    assert.equal(button(card, 'Add').verb, 'team.add');
  });

  it('"add megan bowen to D-1001 as architect" adds her with the canonical role, and the history says so', async () => {
    const card = (await h.say('add megan bowen to D-1001 as architect')).cards[0];
    assert.match(cardText(card), /Added Megan Bowen\./);
    assert.match(cardText(card), /Megan Bowen · Architect/);
    assert.deepEqual(await team(), ['Megan Bowen:Architect']);
    const history = (await h.store.deals.get(TENANT, 'D-1001'))!.deal.history.at(-1)!.change;
    assert.deepEqual(history, { kind: 'team', action: 'added', person: { id: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen', userId: '29:megan' }, role: 'Architect' });
  });

  it('the Add form on the card works too, with a free-text role', async () => {
    const card = (await h.say('team D-1001')).cards[0];
    const pressed = await h.press('team.add', { ...button(card, 'Add').data, person: 'Adele', role: 'Bid manager' });
    assert.match(cardText(pressed.card!), /Adele Vance · Bid manager/);
    assert.deepEqual(await team(), ['Megan Bowen:Architect', 'Adele Vance:Bid manager']);
  });

  it('an ambiguous name offers a choice; choosing finishes the add', async () => {
    const card = (await h.say('add megan to D-1001 as consultant')).cards[0];
    assert.match(cardText(card), /Several people match "megan"/);
    const choice = buttons(card).find((b) => b.title.startsWith('Megan Smith'))!;
    const done = await h.press(choice.verb, choice.data);
    assert.match(cardText(done.card!), /Megan Smith · Consultant/);
  });

  it('someone DealDesk does not know gets a clear message, nothing changes', async () => {
    const before = await team();
    assert.match((await h.say('add Zed Nobody to D-1001')).texts[0], /I don't know anyone matching "Zed Nobody"/);
    assert.deepEqual(await team(), before);
  });

  it('Remove on the card takes a member off', async () => {
    const card = (await h.say('team D-1001')).cards[0];
    const remove = buttons(card).filter((b) => b.verb === 'team.remove')[1];
    const pressed = await h.press(remove.verb, remove.data);
    assert.match(cardText(pressed.card!), /Removed Adele Vance\./);
    assert.ok(!(await team()).some((m) => m.startsWith('Adele')));
  });

  it('"remove megan bowen from D-1001" works by name; removing a non-member is explained', async () => {
    await h.say('remove megan bowen from D-1001');
    assert.ok(!(await team()).includes('Megan Bowen:Architect'));
    assert.match((await h.say('remove megan bowen from D-1001')).texts[0], /isn't on the deal team of D-1001/);
  });

  it('only the owner, their manager or an admin may change a team; anyone else is refused', async () => {
    const said = await h.say('add adele to D-1001', { as: 'megan' });
    assert.match(said.texts[0], /Only Alex Wilber, who owns D-1001, their manager or an admin can change its deal team\./);
    const byAdmin = await h.say('add adele to D-1002 as architect'); // Alex is an admin in local mode; D-1002 is Megan's
    assert.match(cardText(byAdmin.cards[0]), /Adele Vance · Architect/);
  });
});
