import assert from 'node:assert/strict';
import { button, buttons, cardText, fact } from '../support/card-query';
import { postCrmChange } from '../support/crm-webhook';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { waitFor } from '../support/wait-for';
import { USERS, type UserKey } from '../support/activities';
import { TENANT, contosoForm } from './deal-fixtures';
import { staffOneApproverALevel } from '../support/approval-levels';

/** Every item a gate can ask for on the way to Closed won, as the close form sends them. */
const EVIDENCE = { bdm: 'Dana Li, COO', tdm: 'Wei Zhang, CTO', budget: 'FY27 budget', solutionOutline: 'Landing zone, 3 waves', proposalRef: 'SOW-1' };
/** Who approves each level here. */
const APPROVER: Record<string, UserKey> = { manager: 'megan', director: 'isaiah', dealDesk: 'adele' };

describe('the approval policy holds on every path (issue 14, item 2; through /api/messages and the CRM webhook)', function () {
  this.timeout(30_000);
  const h = new DealDeskHarness({ ADMINS: USERS.alex.aadObjectId });
  const stored = async (id: string) => (await h.store.deals.get(TENANT, id))!.deal;

  /** A new deal of Alex's (one service line unless told): its id. */
  async function create(value: string, serviceLines = 'Consulting'): Promise<string> {
    const card = (await h.press('deal.create', { ...contosoForm, value, serviceLines })).card!;
    return /Created (D-\d+)\./.exec(cardText(card))![1];
  }
  /** The close form's **Move to Closed won**, with every gate item and this final value. */
  const closeForm = (id: string, finalValue: string, options: { locale?: string } = {}) =>
    h.press('deal.move', { dealId: id, target: 'Won', ...EVIDENCE, finalValue }, options);
  /** Every level of the current round approved, in order, by its approver. */
  async function approveAll(id: string): Promise<void> {
    for (let i = 0; i < 5; i++) {
      const round = (await stored(id)).approval!;
      if (round.status === 'approved') return;
      const level = round.levels.find((l) => l.status === 'active')!;
      await h.press('approval.decide', { dealId: id, round: round.round, levelId: level.id, decision: 'approved' }, { as: APPROVER[level.id] });
    }
    assert.equal((await stored(id)).approval?.status, 'approved');
  }

  before(async () => {
    await h.start();
    await staffOneApproverALevel(h);
  });
  after(() => h.stop());

  it('the close form judges the final value: a $100k deal closed at 50,000,000 asks for approval and stores nothing', async () => {
    const id = await create('100k');
    const before = await stored(id);
    const gate = (await closeForm(id, '50,000,000')).card!;
    assert.doesNotMatch(cardText(gate), /Moved to Closed won/);
    assert.match(cardText(gate), new RegExp(`${id} is a complex deal: closing it Won needs its approval round approved\\.`));
    assert.deepEqual(await stored(id), before, 'nothing stored');

    // The owner asks for approval of the value they mean to close at, in one press, and it is judged at that value.
    const asked = (await h.press(button(gate, 'Request approval at $50,000,000').verb, button(gate, 'Request approval at $50,000,000').data)).card!;
    assert.match(cardText(asked), /Approval requested\./);
    assert.match(cardText(asked), /NWS \$50,000,000 ≥ \$5,000,000 → Director/);
    const requested = await stored(id);
    assert.equal(requested.value.amount, 50_000_000);
    assert.equal(requested.rev, before.rev + 1, 'the value and the request in one write');
    await approveAll(id);
    assert.match(cardText((await closeForm(id, '50,000,000')).card!), /Moved to Closed won\./);
    const won = await stored(id);
    assert.deepEqual([won.stage, won.outcome, won.value.amount], ['Close', 'Won', 50_000_000]);
  });

  it('the CRM webhook judges the final value too: {"stage":"Won","value":50000000} on a $100k deal → 400 naming approval', async () => {
    const id = await create('100k');
    for (const [field, value] of Object.entries(EVIDENCE)) await h.say(`set ${id} ${field === 'solutionOutline' ? 'outline' : field === 'proposalRef' ? 'proposal' : field} ${value}`);
    const before = await stored(id);
    const res = await postCrmChange(h, TENANT, id, { stage: 'Won', value: 50_000_000 });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'DEAL.STAGE_GATE_UNMET');
    assert.equal(res.body.error.field, 'stage');
    assert.deepEqual(res.body.error.missing, ['approval']);
    assert.deepEqual(await stored(id), before, 'nothing stored');
    // The same event at a value the policy does not send to approval is applied.
    assert.equal((await postCrmChange(h, TENANT, id, { stage: 'Won', value: 900_000 })).status, 200);
    assert.equal((await stored(id)).outcome, 'Won');
  });

  it('a $2M deal is refused by the typed close and by the form (as before)', async () => {
    const id = await create('2m');
    const gate = (await h.say(`close ${id} won`)).cards[0];
    assert.match(cardText(gate), /is a complex deal/);
    assert.match(cardText((await closeForm(id, '2m')).card!), /is a complex deal/);
    assert.equal((await stored(id)).stage, 'Prospect');
  });

  it('approved at $1.2M, closing at $4.9M is refused: the owner is told, and asks again for $4.9M', async () => {
    const id = await create('1.2m');
    await h.say(`request approval ${id}`);
    await approveAll(id);
    const gate = (await closeForm(id, '4.9m')).card!;
    assert.match(cardText(gate), new RegExp(`${id} was approved for NWS \\$1,200,000; closing it Won with NWS \\$4,900,000 needs an approval of these terms\\.`));
    assert.equal((await stored(id)).stage, 'Prospect');

    const again = button(gate, 'Request approval at $4,900,000');
    assert.match(cardText((await h.press(again.verb, again.data)).card!), /round 2/);
    await approveAll(id);
    assert.match(cardText((await closeForm(id, '4.9m')).card!), /Moved to Closed won\./);
    assert.equal((await stored(id)).value.amount, 4_900_000);
  });

  it('approved, then the discount raised: the owner is told at once, and closing is refused until it is approved again', async () => {
    const id = await create('1.2m');
    await h.say(`request approval ${id}`);
    await approveAll(id);
    const card = (await h.say(`set ${id} discount 20`)).cards[0];
    assert.match(cardText(card), new RegExp(`The approval of ${id} was for other terms: closing it Won needs a new approval\\.`));
    assert.equal(fact(card, 'Approval'), 'Approved for other terms');

    const gate = (await closeForm(id, '1.2m')).card!;
    assert.match(cardText(gate), /was approved for discount 0 %; closing it Won with discount 20 % needs an approval of these terms\./);
    assert.equal(button(gate, 'Request approval').data.dealId, id);
    assert.equal((await stored(id)).stage, 'Prospect');
    // `request approval` judges the deal as it is: a new round, now with the deal desk.
    const asked = cardText((await h.say(`request approval ${id}`)).cards[0]);
    assert.match(asked, /Discount 20 % > 15 % → Deal desk/);
    await approveAll(id);
    assert.match(cardText((await closeForm(id, '1.2m')).card!), /Moved to Closed won\./);
  });

  it('terms changed while the approval was under way: approvers see what they approve, and the owner hears it is not enough', async () => {
    const id = await create('1.2m');
    await h.say(`request approval ${id}`);
    await h.say(`set ${id} value 1.3m`);
    const round = (await stored(id)).approval!;
    const card = (await h.press('approval.decide', { dealId: id, round: round.round, levelId: 'manager', decision: 'approved' }, { as: 'megan' })).card!;
    assert.equal(fact(card, 'NWS value'), '$1,200,000', 'the value approval was requested for');
    const told = await waitFor('the owner is told', () =>
      h.connector.messagesTo('a:personal-alex').flatMap((m) => (m.attachments ?? []).map((a: any) => cardText(a.content))).find((text) => text.includes(`${id} is approved`)));
    assert.match(told, new RegExp(`${id} is approved for the terms it was requested for, but the deal has changed since: request approval of its current terms before closing it Won\\.`));
    assert.match(cardText((await closeForm(id, '1.3m')).card!), /was approved for NWS \$1,200,000; closing it Won with NWS \$1,300,000/);
  });

  it('says so in Chinese to a zh-CN owner', async () => {
    const id = await create('1.2m');
    await h.say(`request approval ${id}`);
    await approveAll(id);
    const gate = (await closeForm(id, '4.9m', { locale: 'zh-CN' })).card!;
    assert.match(cardText(gate), new RegExp(`${id} 批准的是 NWS US\\$1,200,000；以 NWS US\\$4,900,000 赢单关闭，需要对这些条款重新审批。`));
    assert.ok(buttons(gate).some((b) => b.title === '按 US$4,900,000 申请审批'), buttons(gate).map((b) => b.title).join(', '));
  });

  it('a deal reopened after the win needs a new approval for a new value', async () => {
    const id = await create('1.2m');
    await h.say(`request approval ${id}`);
    await approveAll(id);
    assert.match(cardText((await closeForm(id, '1.2m')).card!), /Moved to Closed won\./);
    await h.say(`move ${id} to proof price renegotiated`);
    await h.say(`set ${id} value 4.9m`);
    assert.match(cardText((await closeForm(id, '4.9m')).card!), /was approved for NWS \$1,200,000/);
    // …and by the CRM, whichever order it sends the stage and the value in.
    const res = await postCrmChange(h, TENANT, id, { value: 4_900_000, stage: 'Won' });
    assert.deepEqual([res.status, res.body.error?.missing], [400, ['approval']]);
    assert.equal((await stored(id)).stage, 'Proof');
  });

  it("a won deal's value, discount, terms and service lines change neither by command, nor by the edit form, nor by the CRM", async () => {
    const id = await create('900k');
    assert.match(cardText((await closeForm(id, '900k')).card!), /Moved to Closed won\./);
    const terms = async () => {
      const { stage, outcome, value, discountPct, nonStandardTerms, serviceLines, history } = await stored(id);
      return { stage, outcome, value, discountPct, nonStandardTerms, serviceLines, changes: history.length };
    };
    const before = await terms();
    for (const command of [`set ${id} value 50m`, `set ${id} discount 30`, `set ${id} terms uncapped liability`, `set ${id} service lines Consulting, Premier Support`]) {
      assert.match((await h.say(command)).texts[0], new RegExp(`${id} is closed`), command);
    }
    const edit = (await h.press('deal.update', { dealId: id, rev: (await stored(id)).rev, ...contosoForm, value: '50m', serviceLines: 'Consulting' })).card!;
    assert.match(cardText(edit), new RegExp(`${id} is closed`));
    assert.equal((await postCrmChange(h, TENANT, id, { value: 50_000_000 })).status, 400);
    assert.equal((await postCrmChange(h, TENANT, id, { stage: 'Won', value: 50_000_000 })).status, 400);
    assert.deepEqual(await terms(), before);
  });
});
