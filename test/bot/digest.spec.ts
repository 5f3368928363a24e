import assert from 'node:assert/strict';
import { cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { personalText, USERS } from '../support/activities';
import { contosoForm, TENANT } from './deal-fixtures';

const ALEX = USERS.alex.aadObjectId; // Asia/Shanghai (the fixture's localTimezone)
const MEGAN = USERS.megan.aadObjectId; // America/New_York (set below)

/** The weekly digest: on demand, and as the Monday 08:00 job in each person's time zone, once a week. */
describe('the weekly digest (through /api/messages)', () => {
  const h = new DealDeskHarness({ ADMINS: USERS.lynne.aadObjectId });
  const moveTo = (iso: string) => h.advance(Date.parse(iso) - h.clock.now().getTime());
  /** Digests Teams received for a week (proactive 1:1 messages, not replies to `digest`). */
  const digestCards = (week: string) =>
    h.connector.sent.filter((s) => s.kind !== 'update' && !s.body.replyToId).flatMap((s) => (s.body.attachments ?? []).map((a: any) => a.content)).filter((c) => new RegExp(`weekly digest · ${week}`).test(cardText(c)));
  const settle = async (week: string) => {
    for (let i = 0; i < 100 && digestCards(week).length < 1; i++) {
      await h.app.scheduler.runOnce();
      await h.app.notifier.runOnce();
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  /** Runs due work until the delivery exists (the scheduler's own loop, woken by `advance`, may hold the run). */
  const deliveryOf = async (id: string) => {
    for (let i = 0; i < 100; i++) {
      await h.app.scheduler.runOnce();
      const found = await h.store.deliveries.get(TENANT, undefined, id);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  };

  before(async () => {
    await h.start();
    await h.say('help'); // Alex, Shanghai: digest due Mon 30 Nov 08:00 +08:00
    await h.send(Object.assign(personalText('help', { as: 'megan', serviceUrl: h.connector.url }), { localTimezone: 'America/New_York' }));
    await h.say('help', { as: 'lynne' });
    await h.say('set manager Megan Bowen to Alex Wilber', { as: 'lynne' });
    await h.press('deal.create', { ...contosoForm, title: 'Soon', closeDate: '2026-12-20', value: '300k' }); // D-1001
    await h.press('deal.create', { ...contosoForm, title: 'Megan one', value: '200k' }, { as: 'megan' }); // D-1002
  });
  after(() => h.stop());

  it('digest on demand: pipeline by stage with a bar chart (FactSet fallback), changes, closing soon, stale, and the manager\'s team', async () => {
    const card = (await h.say('digest')).cards[0];
    const text = cardText(card);
    assert.match(text, /Alex Wilber's weekly digest · 2026-W48/);
    assert.match(text, /What changed last week \(1\)/);
    assert.match(text, /Closing in the next 30 days \(1\)[\s\S]*D-1001/);
    assert.match(text, /Stale deals \(0\)/);
    assert.match(text, /Your team \(1\)[\s\S]*Megan Bowen/);
    assert.match(text, /Approvals waiting for you \(0\)/);
    const chart = card.body.find((e: any) => e.type === 'Chart.VerticalBar');
    // The amount in the money format (issue 18): Teams prints a bar's bare value as "300000", so none is shown.
    assert.deepEqual(chart.data, [{ x: 'Prospect · $300K', y: 300000 }]);
    assert.equal(chart.showBarValues, false);
    assert.equal(chart.fallback.type, 'FactSet');
    const megan = await h.send(Object.assign(personalText('digest', { as: 'megan', serviceUrl: h.connector.url }), { localTimezone: 'America/New_York' }));
    assert.doesNotMatch(cardText(megan.cards[0]), /Your team/, 'no team part without reports');
  });

  it('the weekly job: one digest at Monday 08:00 in the user\'s zone (Asia/Shanghai), none more that week', async () => {
    moveTo('2026-11-29T23:59:00Z'); // Sun 23:59 UTC = Mon 07:59 in Shanghai
    await h.app.scheduler.runOnce();
    assert.equal(await h.store.deliveries.get(TENANT, undefined, `digest|${ALEX}|2026-W49`), undefined, 'not before 08:00 local');
    moveTo('2026-11-30T00:00:30Z'); // Mon 08:00:30 in Shanghai
    await settle('2026-W49');
    const stored = await h.store.deliveries.get(TENANT, undefined, `digest|${ALEX}|2026-W49`);
    assert.ok(stored, 'the digest delivery of week 49');
    assert.equal(stored.delivery.recipient.kind, 'person');
    assert.equal(digestCards('2026-W49').filter((c) => /Alex Wilber's/.test(cardText(c))).length, 1);

    // The same week's run again (a repeat after an expired lease): the delivery id stops a second digest.
    const job = (await h.store.jobs.get(TENANT, `digest|${ALEX}`))!;
    assert.equal(job.job.dueAt, '2026-12-07T00:00:00.000Z', 'next Monday 08:00 Shanghai');
    await h.store.jobs.replace({ ...job.job, dueAt: h.clock.now().toISOString() }, job.etag);
    await h.app.scheduler.runOnce();
    await h.app.notifier.runOnce();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(digestCards('2026-W49').filter((c) => /Alex Wilber's/.test(cardText(c))).length, 1, 'still one');
  });

  it('a DST week in America/New_York: 08:00 EST on 8 Mar 2027, then 08:00 EDT on 15 Mar', async () => {
    moveTo('2027-03-08T12:59:00Z'); // 07:59 EST
    await h.app.scheduler.runOnce();
    const megan = (await h.store.jobs.get(TENANT, `digest|${MEGAN}`))!.job;
    assert.equal(megan.dueAt, '2027-03-08T13:00:00.000Z', '08:00 EST');
    moveTo('2027-03-08T13:00:30Z');
    assert.ok(await deliveryOf(`digest|${MEGAN}|2027-W10`));
    assert.equal((await h.store.jobs.get(TENANT, `digest|${MEGAN}`))!.job.dueAt, '2027-03-15T12:00:00.000Z', '08:00 EDT after the change');
    assert.equal(await h.store.deliveries.get(TENANT, undefined, `digest|${MEGAN}|2027-W11`), undefined);
    moveTo('2027-03-15T12:00:30Z');
    assert.ok(await deliveryOf(`digest|${MEGAN}|2027-W11`));
  });
});
