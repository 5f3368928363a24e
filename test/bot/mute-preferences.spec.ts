import assert from 'node:assert/strict';
import { USERS } from '../support/activities';
import { cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { sleep, waitFor } from '../support/wait-for';
import { TENANT, contosoForm } from './deal-fixtures';

const COALESCE_MS = 60_000;

/**
 * Issue 14, item 4: a person's preferences (mutes, alerts off) are theirs, kept outside the deal's document. Muting
 * someone else's deal, however often, never changes that deal: not its revision, not its history, not its alerts.
 */
describe('nobody can disturb a deal they do not own: mutes live with the person, not in the deal', function () {
  this.timeout(30_000);
  const h = new DealDeskHarness({ ALERT_COALESCE_MS: String(COALESCE_MS) });
  const alertsTo = (who: string) =>
    h.connector.messagesTo(`a:personal-${who}`).flatMap((m) => (m.attachments ?? []).map((a: any) => a.content)).filter((c: any) => /Changed by/.test(cardText(c)));
  const stored = async (id: string) => (await h.store.deals.get(TENANT, id))!;
  /** Lets the current coalescing window close and the dispatcher fan its alert out. */
  const windowCloses = () => h.advance(COALESCE_MS + 1_000);

  before(async () => {
    await h.start();
    for (const as of ['megan', 'adele', 'patti'] as const) await h.say('help', { as });
    await h.press('deal.create', contosoForm); // D-1001, Alex's
    await h.say('add megan to D-1001 as architect');
  });
  after(() => h.stop());

  it('a stranger muting and unmuting three times leaves the deal untouched; the owner\'s open card still saves; the alert names only the owner', async () => {
    h.connector.reset();
    assert.match(cardText((await h.say('move D-1001 to qualify')).cards[0]), /Moved to Qualify/); // an alert starts gathering
    const before = await stored('D-1001');
    const form = (await h.press('deal.edit', { dealId: 'D-1001', rev: before.deal.rev })).card!; // Alex's open edit card
    assert.match(cardText(form), /Edit D-1001/);

    for (let round = 0; round < 3; round++) {
      const muted = round === 1 ? (await h.press('deal.mute', { dealId: 'D-1001' }, { as: 'patti' })).card! : (await h.say('mute D-1001', { as: 'patti' })).cards[0];
      assert.match(cardText(muted), /Muted: you won't get alerts about D-1001\./);
      const unmuted = (await h.say('unmute D-1001', { as: 'patti' })).cards[0];
      assert.match(cardText(unmuted), /Unmuted: you'll get alerts about D-1001 again\./);
    }
    await h.say('alerts off', { as: 'patti' });
    await h.say('alerts on', { as: 'patti' });

    const after = await stored('D-1001');
    assert.equal(after.deal.rev, before.deal.rev, 'the revision did not move');
    assert.deepEqual(after.deal.history, before.deal.history, 'no history entry');
    assert.deepEqual(after.deal.outbox, before.deal.outbox, 'the gathering alert is as it was');
    assert.equal(after.etag, before.etag, 'the deal document was not written at all');

    const saved = await h.press('deal.update', { dealId: 'D-1001', rev: before.deal.rev, ...contosoForm, nextStep: 'Board review on Friday' });
    assert.match(cardText(saved.card!), /Saved\./, 'the owner\'s Save on her open card goes through');
    assert.doesNotMatch(cardText(saved.card!), /changed since that card was shown/);

    windowCloses();
    const alert = await waitFor('the coalesced alert to Megan', () => alertsTo('megan')[0]);
    assert.match(cardText(alert), /Stage: Prospect → Qualify/);
    assert.match(cardText(alert), /Changed by Alex Wilber/);
    assert.doesNotMatch(cardText(alert), /Patti/, 'the stranger is not named');
  });

  it('someone who changes nothing the alert reports is not named in it (a manager adding a team member)', async () => {
    await h.store.people.upsert({ tenantId: TENANT, id: USERS.alex.aadObjectId, name: USERS.alex.name, managerId: USERS.megan.aadObjectId });
    h.connector.reset();
    await h.say('set D-1001 value 3m'); // +100 %: an alert starts gathering
    const added = await h.say('add adele vance to D-1001 as delivery manager', { as: 'megan' }); // Alex's manager
    assert.match(cardText(added.cards[0]), /Adele Vance/);
    windowCloses();
    const toMegan = await waitFor('the value alert reaches the manager too', () => alertsTo('megan')[0]);
    assert.match(cardText(toMegan), /NWS value: \$1,500,000 → \$3,000,000/);
    assert.match(cardText(toMegan), /Changed by Alex Wilber/);
    assert.doesNotMatch(cardText(toMegan), /Megan Bowen/);
    await waitFor('and the new member', () => alertsTo('adele').length === 1);
  });

  it('a member who muted gets no alert (the deal keeps no trace of it); unmuting brings them back', async () => {
    const rev = (await stored('D-1001')).deal.rev;
    await h.say('mute D-1001', { as: 'megan' });
    assert.equal((await stored('D-1001')).deal.rev, rev);
    h.connector.reset();
    await h.say('move D-1001 to prospect the customer re-scoped');
    windowCloses();
    await waitFor('Adele hears of it', () => alertsTo('adele').length === 1);
    await sleep(300);
    assert.equal(alertsTo('megan').length, 0, 'Megan muted the deal');

    await h.press('command.run', { command: 'unmute D-1001' }, { as: 'megan' });
    await h.say('move D-1001 to qualify');
    windowCloses();
    await waitFor('Megan hears again', () => alertsTo('megan').length === 1);
  });

  it('a mute stored in a deal before (its legacy mutedBy list) still holds until that person unmutes, without a write to the deal', async () => {
    // As DealDesk stored it before: Adele's mute inside the deal document.
    const { deal, etag } = await stored('D-1001');
    const legacy = await h.store.deals.replace({ ...deal, mutedBy: [USERS.adele.aadObjectId] }, etag);
    h.connector.reset();
    await h.say('move D-1001 to prospect once more');
    windowCloses();
    await waitFor('Megan hears of it', () => alertsTo('megan').length === 1);
    await sleep(300);
    assert.equal(alertsTo('adele').length, 0, 'the stored mute still holds');

    const unmuted = (await h.say('unmute D-1001', { as: 'adele' })).cards[0];
    assert.match(cardText(unmuted), /Unmuted: you'll get alerts about D-1001 again\./);
    const after = await stored('D-1001');
    assert.equal(after.deal.rev, legacy.deal.rev + 1, 'only the move wrote the deal');
    assert.deepEqual(after.deal.mutedBy, [USERS.adele.aadObjectId], 'the legacy list is left as it was');
    await h.say('move D-1001 to qualify again');
    windowCloses();
    await waitFor('Adele hears again', () => alertsTo('adele').length === 1);

    await h.say('mute D-1001', { as: 'adele' });
    h.connector.reset();
    await h.say('move D-1001 to prospect and back');
    windowCloses();
    await waitFor('Megan hears of it', () => alertsTo('megan').length === 1);
    await sleep(300);
    assert.equal(alertsTo('adele').length, 0, 'muted again');
  });
});
