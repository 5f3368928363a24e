import assert from 'node:assert/strict';
import { USERS } from '../support/activities';
import { button, cardText, inputs } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { sleep, waitFor } from '../support/wait-for';
import { TENANT, ALEX, contosoForm } from './deal-fixtures';

const DAY = 86_400_000;
const EVIDENCE = { bdm: 'Dana', tdm: 'Wei', budget: 'yes', solutionOutline: 'outline', proposalRef: 'SOW-1' };

describe('CSAT follow-ups: the delivery plan, CSAT cards, low-CSAT escalation, milestones, accounts', function () {
  this.timeout(60_000);
  const h = new DealDeskHarness();
  const cardsIn = (conversationId: string) => h.connector.messagesTo(conversationId).flatMap((m) => (m.attachments ?? []).map((a: any) => a.content));
  const cardsWith = (conversationId: string, pattern: RegExp) => cardsIn(conversationId).filter((c) => pattern.test(cardText(c)));
  const stored = async (id = 'D-1001') => (await h.store.deals.get(TENANT, id))!.deal;

  async function closeWon(id: string): Promise<void> {
    const { rev } = await stored(id);
    const gate = (await h.press('deal.closeWon', { dealId: id, rev })).card!;
    const done = await h.press('deal.move', { ...button(gate, 'Move to Closed won').data, ...EVIDENCE, finalValue: '900k' });
    assert.match(cardText(done.card!), /Moved to Closed won\./);
  }

  before(async () => {
    await h.start();
    for (const as of ['alex', 'megan', 'adele', 'isaiah'] as const) await h.say('help', { as });
    // Megan manages Alex (the quota helper's `set manager` does this by command).
    await h.store.people.upsert({ tenantId: TENANT, id: ALEX, name: USERS.alex.name, managerId: USERS.megan.aadObjectId });
    await h.press('deal.create', { ...contosoForm, value: '900k', serviceLines: 'Consulting' }); // D-1001
    await h.press('deal.create', { ...contosoForm, value: '400k', serviceLines: 'Consulting', title: 'Still open deal' }); // D-1002
    await h.press('deal.create', { ...contosoForm, account: 'Tailspin Toys', value: '300k', serviceLines: 'Consulting', title: 'Tailspin data platform' }); // D-1003
    await h.say('add adele vance to D-1001 as architect');
  });
  after(() => h.stop());

  it('bad input before the win: a milestone or a CSAT on a deal not won is refused, nothing stored', async () => {
    const before = await stored();
    assert.match((await h.say('milestone D-1001 Go-live done')).texts.join('\n'), /D-1001 isn't closed Won/);
    assert.match((await h.say('csat D-1001')).texts.join('\n'), /D-1001 isn't closed Won/);
    const after = await stored();
    assert.equal(after.rev, before.rev);
    assert.equal(after.delivery, undefined);
  });

  it('closing Won records the default plan in the same write and sends the plan card to the owner 1:1', async () => {
    await closeWon('D-1001');
    const deal = await stored();
    assert.equal(deal.delivery!.kickoff, '2026-11-26');
    assert.equal(deal.delivery!.plannedEnd, '2027-02-24');
    assert.deepEqual(deal.delivery!.followUps.map((f) => [f.id, f.reason, f.dueAt, f.status]), [
      ['F1', 'kickoff', '2026-12-26T09:00:00.000Z', 'scheduled'],
      ['F2', 'end', '2027-02-24T09:00:00.000Z', 'scheduled'],
    ]);
    const card = await waitFor('the plan card in Alex 1:1', () => cardsWith('a:personal-alex', /Delivery plan · D-1001/)[0]);
    assert.equal(inputs(card).kickoff, '2026-11-26');
    assert.equal(inputs(card).plannedEnd, '2027-02-24');
    assert.equal(button(card, 'Save plan').verb, 'plan.save');
  });

  it('plan card bad input: a date that does not exist, an end before kickoff, a bad milestone line; nothing stored', async () => {
    const { rev } = await stored();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ kickoff: '2027-02-30', plannedEnd: '2027-03-31' }, /Kickoff: "2027-02-30" isn't a real date/],
      [{ kickoff: '2026-12-01', plannedEnd: '2027-13-01' }, /Planned end: "2027-13-01" isn't a real date/],
      [{ kickoff: '2027-03-01', plannedEnd: '2027-02-01' }, /Planned end: 2027-02-01 is before the kickoff \(2027-03-01\)/],
      [{ kickoff: '2026-12-01', plannedEnd: '2027-03-31', milestones: 'Wave 1 | 2027-02-29' }, /Milestone Wave 1: "2027-02-29" isn't a real date/],
      [{ kickoff: '2026-12-01', plannedEnd: '2027-03-31', milestones: ' | 2027-02-01' }, /Milestone name: it is required/],
    ];
    for (const [values, message] of cases) {
      const { card } = await h.press('plan.save', { dealId: 'D-1001', rev, ...values });
      assert.match(cardText(card!), message);
      assert.equal(inputs(card!).kickoff, values.kickoff, 'what was typed is shown again');
    }
    const after = await stored();
    assert.equal(after.rev, rev);
    assert.equal(after.delivery!.confirmedAt, undefined);
  });

  it('saving the plan with new dates reschedules the scheduled follow-ups in the same write; an old card is refused', async () => {
    const { rev } = await stored();
    const { card } = await h.press('plan.save', { dealId: 'D-1001', rev, kickoff: '2026-12-01', plannedEnd: '2027-03-31', milestones: 'Wave 1 | 2027-01-31\nGo-live' });
    assert.match(cardText(card!), /Delivery plan saved\./);
    const deal = await stored();
    assert.equal(deal.rev, rev + 1);
    assert.deepEqual(deal.delivery!.milestones, [{ name: 'Wave 1', date: '2027-01-31' }, { name: 'Go-live' }]);
    assert.deepEqual(deal.delivery!.followUps.map((f) => f.dueAt), ['2026-12-31T09:00:00.000Z', '2027-03-31T09:00:00.000Z']);
    const stale = await h.press('plan.save', { dealId: 'D-1001', rev, kickoff: '2026-12-05', plannedEnd: '2027-03-31' });
    assert.match(cardText(stale.card!), /changed since that card was shown/);
    assert.equal((await stored()).rev, rev + 1);
  });

  it('35 days later the scheduler asks: the CSAT card reaches the owner 1:1, once', async () => {
    h.advance(35 * DAY);
    const card = await waitFor('the CSAT card', () => cardsWith('a:personal-alex', /CSAT · D-1001/)[0], 10_000);
    assert.match(cardText(card), /Milestone: 30 days after kickoff/);
    assert.match(cardText(card), /Account: Contoso Bank/);
    assert.deepEqual(Object.keys(inputs(card)), ['score', 'conditionsMet', 'comment']);
    const f1 = (await stored()).delivery!.followUps[0];
    assert.equal(f1.status, 'asked');
    await h.app.scheduler.runOnce();
    await sleep(200);
    assert.equal(cardsWith('a:personal-alex', /CSAT · D-1001/).length, 1);
  });

  it('CSAT bad input: score outside 1–5, conditions not yes/partly/no; the card comes back naming the field, nothing stored', async () => {
    const before = await stored();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ score: '7', conditionsMet: 'yes' }, /Score: "7" isn't a score/],
      [{ score: '0', conditionsMet: 'yes' }, /Score: "0" isn't a score/],
      [{ score: '', conditionsMet: 'yes' }, /Score: "" isn't a score/],
      [{ score: '4', conditionsMet: 'maybe' }, /Conditions of Satisfaction met: "maybe" isn't an answer/],
    ];
    for (const [values, message] of cases) {
      const { card } = await h.press('csat.record', { dealId: 'D-1001', followUpId: 'F1', ...values, comment: 'x' });
      assert.match(cardText(card!), message);
    }
    const after = await stored();
    assert.equal(after.rev, before.rev);
    assert.deepEqual(after.csat, []);
  });

  it('recording 2: the follow-up is recorded and the low-CSAT card reaches the manager and the deal team', async () => {
    const { card } = await h.press('csat.record', { dealId: 'D-1001', followUpId: 'F1', score: '2', conditionsMet: 'partly', comment: 'Wave 1 slipped twice' });
    assert.match(cardText(card!), /CSAT 2 recorded for D-1001\. It is low/);
    const deal = await stored();
    assert.equal(deal.delivery!.followUps[0].status, 'recorded');
    assert.deepEqual(deal.csat.map((c) => [c.id, c.score, c.conditionsMet, c.low]), [['C1', 2, 'partly', true]]);
    for (const who of ['megan', 'adele']) {
      const alert = await waitFor(`the low-CSAT card to ${who}`, () => cardsWith(`a:personal-${who}`, /Low CSAT · D-1001/)[0]);
      assert.match(cardText(alert), /Wave 1 slipped twice/);
      assert.equal(button(alert, 'Plan recovery').verb, 'csat.recoveryForm');
    }
    assert.equal(cardsWith('a:personal-isaiah', /Low CSAT/).length, 0, 'nobody else');
    const again = await h.press('csat.record', { dealId: 'D-1001', followUpId: 'F1', score: '5', conditionsMet: 'yes' });
    assert.match(again.message ?? cardText(again.card ?? {}), /already recorded/);
  });

  it('plan recovery: a person not found is named, someone outside the deal may not; the plan is stored on the entry', async () => {
    const alert = cardsWith('a:personal-megan', /Low CSAT · D-1001/)[0];
    const form = (await h.press('csat.recoveryForm', button(alert, 'Plan recovery').data, { as: 'megan' })).card!;
    assert.deepEqual(Object.keys(inputs(form)), ['nextStep', 'owner']);
    const save = button(form, 'Save recovery plan').data;

    const nobody = await h.press('csat.recovery', { ...save, nextStep: 'Exec call', owner: 'Nobody Here' }, { as: 'megan' });
    assert.match(cardText(nobody.card!), /Owner: I can't find anyone called "Nobody Here"/);
    const empty = await h.press('csat.recovery', { ...save, nextStep: '  ', owner: 'Adele Vance' }, { as: 'megan' });
    assert.match(cardText(empty.card!), /Next step: it is required/);
    const outsider = await h.press('csat.recovery', { ...save, nextStep: 'Exec call', owner: 'Adele Vance' }, { as: 'isaiah' });
    assert.match(outsider.message ?? '', /Only the owner of D-1001, their manager or the deal team/);
    assert.equal((await stored()).csat[0].recovery, undefined);

    const done = await h.press('csat.recovery', { ...save, nextStep: 'Exec call with the CIO', owner: 'Adele Vance' }, { as: 'megan' });
    assert.match(cardText(done.card!), /Recovery planned: Exec call with the CIO \(owner: Adele Vance\)/);
    const recovery = (await stored()).csat[0].recovery!;
    assert.equal(recovery.nextStep, 'Exec call with the CIO');
    assert.equal(recovery.owner.name, 'Adele Vance');
    assert.equal(recovery.by.name, 'Megan Bowen');
  });

  it('milestone done schedules a follow-up due now; the scheduler asks; snooze puts it back a week', async () => {
    const bad = await Promise.all([h.say('milestone D-1001 done'), h.say('milestone D-1001 Wave 2 2027-02-30')]);
    assert.match(bad[0].texts.join('\n'), /Milestone name: it is required/);
    assert.match(bad[1].texts.join('\n'), /Milestone Wave 2: "2027-02-30" isn't a real date/);
    assert.equal((await stored()).delivery!.milestones.length, 2);

    const reply = (await h.say('milestone D-1001 Go-live done')).cards[0];
    assert.match(cardText(reply), /Milestone Go-live done: I'll ask you for a CSAT score now\./);
    const deal = await stored();
    const f3 = deal.delivery!.followUps.find((f) => f.milestone === 'Go-live')!;
    assert.equal(f3.id, 'F3');
    // No poll needed: the write that made F3 due woke the scheduler (its poll is 30 s away).
    const card = await waitFor('the milestone CSAT card', () => cardsWith('a:personal-alex', /Milestone: Milestone Go-live done/)[0], 10_000);
    assert.equal((await stored()).delivery!.followUps.find((f) => f.id === 'F3')!.status, 'asked');

    const snoozed = await h.press('csat.snooze', button(card, 'Snooze a week').data);
    assert.match(cardText(snoozed.card!), /Snoozed: I'll ask again on/);
    const after = (await stored()).delivery!.followUps.find((f) => f.id === 'F3')!;
    assert.equal(after.status, 'scheduled');
    assert.equal(Date.parse(after.dueAt) - Date.parse(h.clock.now().toISOString()) > 6.9 * DAY, true);

    // `csat <ref>` opens the card any time: with nothing asked now, an ad-hoc score.
    const adHoc = (await h.say('csat D-1001')).cards[0];
    assert.match(cardText(adHoc), /Milestone: Any time \(not asked\)/);
    assert.throws(() => button(adHoc, 'Snooze a week'));
  });

  it('account <name>: open deals, won NWS this fiscal year, CSAT average and trend with a chart and its fallback, open low CSATs', async () => {
    await h.press('csat.record', { dealId: 'D-1001', score: '4', conditionsMet: 'yes', comment: 'better' });
    const card = (await h.say('account contoso bank')).cards[0];
    const text = cardText(card);
    assert.match(text, /Account · Contoso Bank/);
    assert.match(text, /Open deals \(1\)/);
    assert.match(text, /D-1002\*\* Still open deal · Prospect/);
    assert.doesNotMatch(text, /Tailspin/);
    assert.match(text, /Won NWS · FY2027/);
    assert.match(text, /\$900,000 \(1 won\)/);
    assert.match(text, /Average 3\.0 of 5 \(2 scores\)/);
    const chart = card.body.find((e: any) => e.type === 'Chart.Line');
    assert.deepEqual(chart.data[0].values.map((v: any) => v.y), [2, 4]);
    assert.equal(chart.fallback.type, 'FactSet');
    assert.match(text, /Open low CSAT \(0\)/, 'the low score has its recovery plan');

    assert.match((await h.say('account Fabrikam')).texts.join('\n'), /Account: I can't find an account matching "Fabrikam"/);
    assert.match((await h.say('account')).cards.map(cardText).join('\n'), /Use `account <name>`/);
  });
});
