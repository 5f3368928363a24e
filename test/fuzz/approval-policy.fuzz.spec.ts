import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ApprovalPolicy } from '../../src/domain/approval-policy';
import type { LevelState } from '../../src/domain/approval';
import type { Deal } from '../../src/domain/deal';
import { evaluatePolicy } from '../../src/domain/evaluate-policy';
import { ConcurrentUpdateError } from '../../src/ports/deal-repository.port';
import { TENANT, contosoForm } from '../bot/deal-fixtures';
import { USERS, type UserKey } from '../support/activities';
import { button, cardText } from '../support/card-query';
import { postCrmChange } from '../support/crm-webhook';
import { DealDeskHarness, type Said } from '../support/dealdesk-harness';
import { staffOneApproverALevel } from '../support/approval-levels';

/**
 * The approval policy holds whatever path a change takes (issue 14, item 2): random sequences of changes to
 * two fresh deals, each through a random entry point (typed commands, the close form, the edit form, the
 * gate card's Request approval, the signed CRM webhook, approvers' decisions, and, since issue 17,
 * `reassign <deal> to <person>` and `reassign all deals of <person> to <person>` by allowed and refused people),
 * against ONE DealDesk on the real embedded store. Each change is made by the deal's owner at the time. After
 * every step, read from the store:
 * - no deal is Won with terms the policy calls complex unless its approved round is for exactly those terms
 *   (value, currency, discount, non-standard terms, service lines) at every level the policy calls;
 * - nobody decided on a round they requested, nor on a deal they owned when they decided;
 * - a reassignment by anyone but the owner's manager (Lynne) or an admin (Alex) changes nothing; an allowed one
 *   moves the deal or is refused only because the new owner approves a level the round still needs; it never
 *   changes the round (so never what it covers), and never leaves a level unable to finish that could before.
 * These checks are written here, independently of src/domain (approval-rule.ts, level-owner-would-block.ts), so a
 * broken rule cannot vouch for itself.
 *
 * POLICY_RUNS: how many sequences of up to 40 steps (default 200, about 20 s on two quiet cores; `npm run test:chaos`,
 * with CHAOS=1, runs 2,000). The reassignment steps kept the default: 200 runs cost 53–61 s of CPU for 3,603–4,117
 * steps, against 53 s for 3,731 before (on a shared, busy machine). FUZZ_SEED replays a failing run (fast-check prints
 * the seed and the shrunk sequence).
 */
const CHAOS = process.env.CHAOS === '1';
const RUNS = Number(process.env.POLICY_RUNS ?? (CHAOS ? 2000 : 200));
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;
const STEPS = 40;

/** Every item a gate can ask for on the way to Closed won, as the close form sends them. */
const EVIDENCE = { bdm: 'Dana Li, COO', tdm: 'Wei Zhang, CTO', budget: 'FY27 budget', solutionOutline: 'Landing zone', proposalRef: 'SOW-1' };
/** Teams users by their AAD id: who a stored person is. */
const KEY_OF = new Map(Object.entries(USERS).map(([key, u]) => [u.aadObjectId as string, key as UserKey]));
const keyOf = (p: { id: string }): UserKey => KEY_OF.get(p.id)!;
/** Where a run's deals go when it ends (not through DealDesk): nobody the steps name, so "all deals of" sees one run's deals. */
const RETIRED: UserKey = 'megan2';
/** Lynne manages everyone but herself; Alex is an admin: the two who may reassign (refused: the others, Lynne for her own deals). */
const mayReassign = (by: UserKey, owner: UserKey): boolean => by === 'alex' || (by === 'lynne' && owner !== 'lynne');

// Values on both sides of the thresholds (1M: manager; 5M: director; GBP 1.27 and EUR 1.08 move 900k over 1M).
const VALUE = fc.constantFrom('100k', '900k', '1.2m', '4.9m', '6m', '50m');
/** A final value at closing: often the deal's own (what an approval was asked for), else any. */
const FINAL_VALUE = fc.oneof({ weight: 1, arbitrary: fc.constant('current') }, { weight: 1, arbitrary: VALUE });
const CRM_VALUE = fc.constantFrom(100_000, 900_000, 1_200_000, 4_900_000, 50_000_000);
const CURRENCY = fc.constantFrom('USD', 'EUR', 'GBP');
const DISCOUNT = fc.constantFrom('0', '10', '20');
const TERMS = fc.constantFrom('none', 'uncapped liability');
const LINES = fc.constantFrom('Consulting', 'Consulting, Premier Support');
const DEAL = fc.constantFrom(0, 1);
/** Who reassigns: often someone allowed (Lynne, Alex), else someone refused. */
const BY = fc.constantFrom<UserKey>('lynne', 'alex', 'lynne', 'alex', 'patti', 'isaiah', 'megan', 'adele');
/** A new owner: approvers of every level among them (Megan and Patti: level 1, any one; Isaiah: 2, all; Adele: 3). */
const TO = fc.constantFrom<UserKey>('patti', 'lynne', 'alex', 'megan', 'isaiah', 'isaiah', 'adele', 'adele');

type Step =
  | { kind: 'set'; deal: number; field: string; value: string }
  | { kind: 'editForm'; deal: number; value: string; lines: string }
  | { kind: 'closeForm'; deal: number; finalValue: string }
  | { kind: 'closeTyped'; deal: number }
  | { kind: 'reopen'; deal: number }
  | { kind: 'lose'; deal: number }
  | { kind: 'crm'; deal: number; changes: Record<string, unknown> }
  | { kind: 'request'; deal: number }
  | { kind: 'requestFromGate'; deal: number; finalValue: string }
  /** The approvers of the round under way decide, level after level: all approve, or one rejects or returns it. `pick`: which approver of a level. */
  | { kind: 'decide'; deal: number; decision: 'approved' | 'rejected' | 'changesRequested'; pick: number }
  | { kind: 'reassign'; deal: number; by: UserKey; to: UserKey }
  /** `reassign all deals of <the deal's owner> to <to>`. */
  | { kind: 'reassignAll'; deal: number; by: UserKey; to: UserKey };

const STEP: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), deal: DEAL, field: fc.constant('value'), value: VALUE }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set' as const), deal: DEAL, field: fc.constant('currency'), value: CURRENCY }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), deal: DEAL, field: fc.constant('discount'), value: DISCOUNT }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set' as const), deal: DEAL, field: fc.constant('terms'), value: TERMS }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set' as const), deal: DEAL, field: fc.constant('service lines'), value: LINES }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('editForm' as const), deal: DEAL, value: VALUE, lines: LINES }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('closeForm' as const), deal: DEAL, finalValue: FINAL_VALUE }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('closeTyped' as const), deal: DEAL }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reopen' as const), deal: DEAL }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lose' as const), deal: DEAL }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('crm' as const),
      deal: DEAL,
      changes: fc.record(
        { stage: fc.constantFrom('Won', 'Closed Won', 'Proof', 'Lost'), value: CRM_VALUE, currency: CURRENCY, note: fc.constant('From the CRM'), evidence: fc.constant(EVIDENCE) },
        { requiredKeys: [] },
      ).filter((c) => Object.keys(c).length > 0),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('request' as const), deal: DEAL }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('requestFromGate' as const), deal: DEAL, finalValue: VALUE }) },
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('decide' as const), deal: DEAL, decision: fc.constantFrom('approved', 'approved', 'approved', 'approved', 'rejected', 'changesRequested') as fc.Arbitrary<'approved' | 'rejected' | 'changesRequested'>, pick: fc.nat(1) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('reassign' as const), deal: DEAL, by: BY, to: TO }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reassignAll' as const), deal: DEAL, by: BY, to: TO }) },
);

/** What the policy reads, normalised here (not with the code under test). */
const termsOf = (t: { value: { amount: number; currency: string }; discountPct?: number; nonStandardTerms?: string; serviceLines: readonly string[] }) => ({
  amount: t.value.amount,
  currency: t.value.currency,
  discountPct: t.discountPct ?? 0,
  nonStandardTerms: (t.nonStandardTerms ?? '').trim(),
  serviceLines: [...t.serviceLines].sort(),
});

/** The invariant: a Won deal the policy calls complex has an approved round for exactly its terms, at every level called. */
function assertCovered(deal: Deal, policy: ApprovalPolicy, after: string): void {
  if (deal.stage !== 'Close' || deal.outcome !== 'Won') return;
  const evaluation = evaluatePolicy(deal, policy);
  if (!evaluation.complex) return;
  const round = deal.approval;
  const what = `${deal.id} is Won at ${JSON.stringify(termsOf(deal))} (levels ${evaluation.levelIds.join(', ')}) after ${after}; its round: ${JSON.stringify(round && { status: round.status, terms: round.terms, levels: round.levels.map((l) => `${l.id}:${l.status}`) })}`;
  assert.equal(round?.status, 'approved', what);
  assert.ok(round.terms, what);
  assert.deepEqual(termsOf({ ...round.terms, value: round.terms.value }), termsOf(deal), what);
  for (const id of evaluation.levelIds) assert.ok(round.levels.some((l) => l.id === id && l.status === 'approved'), what);
}

/**
 * The levels of the deal's round under way that could never finish: nobody may decide on a round they requested or
 * a deal they own, so an "all" level lacking the approval of such a person, or an "any" level with nobody else, is stuck.
 */
function stuckLevels(deal: Deal): string[] {
  const round = deal.approval;
  if (round?.status !== 'pending') return [];
  const barred = (p: { id: string }) => p.id === deal.owner.id || p.id === round.requestedBy.id;
  return round.levels
    .filter((l) => l.status === 'waiting' || l.status === 'active')
    .filter((l) => (l.mode === 'all' ? l.approvers.some((p) => barred(p) && !l.decisions.some((d) => d.by.id === p.id && d.decision === 'approved')) : l.approvers.every(barred)))
    .map((l) => l.id);
}

/** The levels that could finish with the deal's owner and could not if `person` owned it, in the round's order. */
function stuckIfOwnedBy(deal: Deal, person: UserKey): LevelState[] {
  const now = stuckLevels(deal);
  const then = stuckLevels({ ...deal, owner: { id: USERS[person].aadObjectId, name: USERS[person].name } });
  return deal.approval!.levels.filter((l) => then.includes(l.id) && !now.includes(l.id));
}

/** What a refused step must leave as it was (background delivery may still write the deal's notices). */
const kept = (deal: Deal) => ({ owner: deal.owner.id, stage: deal.stage, outcome: deal.outcome, terms: termsOf(deal), approval: deal.approval, history: deal.history.length });

/** Every decision recorded on a deal's rounds, as `round|by|at`: what is new after a step was decided in it. */
const decisionsOf = (deal: Deal) => new Set(deal.approvalTrail.filter((e) => e.event === 'decided').map((e) => `${e.round}|${e.by.id}|${e.at}`));

describe('the approval policy holds on every path: a property over random sequences of changes (issue 14, item 2)', function () {
  this.timeout(Math.max(120_000, RUNS * STEPS * 400));
  // Background delivery polls once a second: no step waits for it. Alerts wait an hour, so none is delivered: they are
  // no part of the property, and a reassignment's go to two owners (delivered, 200 runs took 75 s of CPU, not 61 s).
  const h = new DealDeskHarness({ ADMINS: USERS.alex.aadObjectId, NOTIFY_POLL_MS: '1000', ALERT_COALESCE_MS: '3600000' });
  let policy: ApprovalPolicy;
  const statuses: Record<string, number> = {};
  /** How often a complex deal became Won (covered), and how often a round ended approved. */
  let wonComplex = 0;
  let approvedRounds = 0;
  let steps = 0;
  const stored = async (id: string) => (await h.store.deals.get(TENANT, id))!.deal;
  const textOf = (said: Said) => [...said.texts, ...said.cards.map(cardText)].join('\n');
  const count = (key: string) => (statuses[key] = (statuses[key] ?? 0) + 1);

  before(async () => {
    await h.start();
    await staffOneApproverALevel(h);
    // Level 1 has a second approver: Megan may own a deal under approval there (Patti can finish it) and is refused.
    for (const as of ['patti', 'lynne', 'megan2'] as const) await h.say('help', { as });
    await h.say('set approvers 1 megan bowen, patti fernandez any');
    for (const who of ['alex', 'patti', 'megan', 'isaiah', 'adele'] as const) assert.match(textOf(await h.say(`set manager ${USERS[who].name} to Lynne Robbins`)), /Lynne Robbins/);
    policy = (await h.store.settings.getPolicy(TENANT)).policy;
    assert.deepEqual(policy.levels.map((l) => l.approvers.length), [2, 1, 1], 'every level staffed');
  });
  after(async () => {
    console.log(`      policy property: ${steps} steps, answers ${JSON.stringify(statuses)}, ${approvedRounds} rounds approved, a complex deal closed Won (covered) ${wonComplex} times`);
    await h.stop();
  });

  async function create(value: string, serviceLines: string): Promise<string> {
    const card = (await h.press('deal.create', { ...contosoForm, value, serviceLines })).card!;
    return /Created (D-\d+)\./.exec(cardText(card))![1];
  }

  /** Gives a run's deal to RETIRED; on a conflict with background delivery, again. */
  async function retire(id: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const read = (await h.store.deals.get(TENANT, id))!;
      try {
        await h.store.deals.replace({ ...read.deal, owner: { id: USERS[RETIRED].aadObjectId, name: USERS[RETIRED].name } }, read.etag);
        return;
      } catch (e) {
        if (!(e instanceof ConcurrentUpdateError)) throw e;
      }
    }
  }

  /**
   * One step through its entry point, by the deal's owner when the step is the owner's (`deal`: as stored before it);
   * the answer's status must never be a 5xx.
   */
  async function run(step: Step, id: string, deal: Deal, ids: string[]): Promise<void> {
    const ok = (status: number, label: string) => {
      count(`${label} ${status}`);
      assert.ok(status < 500, `${label} answered ${status}`);
    };
    const as = keyOf(deal.owner);
    switch (step.kind) {
      case 'set':
        return ok((await h.say(`set ${id} ${step.field} ${step.value}`, { as })).status, 'set');
      case 'editForm':
        return ok((await h.press('deal.update', { dealId: id, rev: deal.rev, ...contosoForm, value: step.value, serviceLines: step.lines }, { as })).status, 'edit');
      case 'closeForm': {
        const finalValue = step.finalValue === 'current' ? String(deal.value.amount) : step.finalValue;
        return ok((await h.press('deal.move', { dealId: id, target: 'Won', ...EVIDENCE, finalValue }, { as })).status, 'closeForm');
      }
      case 'closeTyped':
        return ok((await h.say(`close ${id} won`, { as })).status, 'closeTyped');
      case 'reopen':
        return ok((await h.say(`move ${id} to proof terms renegotiated`, { as })).status, 'reopen');
      case 'lose':
        return ok((await h.say(`close ${id} lost budget cut`, { as })).status, 'lose');
      case 'crm': {
        const res = await postCrmChange(h, TENANT, id, step.changes);
        assert.ok(res.status === 200 || res.status === 400, `webhook answered ${res.status}: ${JSON.stringify(res.body)}`);
        return ok(res.status, 'crm');
      }
      case 'request':
        return ok((await h.say(`request approval ${id}`, { as })).status, 'request');
      case 'requestFromGate': {
        const gate = await h.press('deal.move', { dealId: id, target: 'Won', ...EVIDENCE, finalValue: step.finalValue }, { as });
        ok(gate.status, 'closeForm');
        const offer = gate.card && (() => {
          try {
            return button(gate.card, /^Request approval/);
          } catch {
            return undefined;
          }
        })();
        if (offer) ok((await h.press(offer.verb, offer.data, { as })).status, 'requestFromGate');
        return;
      }
      case 'decide': {
        for (let level = 0; level < 3; level++) {
          const round = (await stored(id)).approval;
          const active = round?.status === 'pending' ? round.levels.find((l) => l.status === 'active') : undefined;
          if (!round || !active) return;
          const comment = step.decision === 'approved' ? '' : 'Please revisit the terms';
          const approver = keyOf(active.approvers[step.pick % active.approvers.length]);
          const pressed = await h.press('approval.decide', { dealId: id, round: round.round, levelId: active.id, decision: step.decision, comment }, { as: approver });
          ok(pressed.status, 'decide');
          if ((await stored(id)).approval?.status === 'approved') approvedRounds++;
        }
        return;
      }
      case 'reassign':
        return reassign(step, id, deal);
      case 'reassignAll':
        return reassignAll(step, deal, ids);
    }
  }

  /** `reassign <deal> to <person>`: refused and nothing changed, already theirs, moved, or refused for the round. */
  async function reassign(step: Extract<Step, { kind: 'reassign' }>, id: string, deal: Deal): Promise<void> {
    const owner = keyOf(deal.owner);
    const said = await h.say(`reassign ${id} to ${USERS[step.to].name}`, { as: step.by });
    const answer = textOf(said);
    const after = await stored(id);
    const what = `reassign ${id} (${owner}'s) to ${step.to} as ${step.by}: ${answer.slice(0, 300)}`;
    if (!mayReassign(step.by, owner)) {
      count(`reassign refused ${said.status}`);
      assert.match(answer, /manager or a DealDesk admin can reassign/, what);
      return assert.deepEqual(kept(after), kept(deal), what);
    }
    if (step.to === owner || !/is now/.test(answer)) {
      if (step.to === owner) count(`reassign already ${said.status}`);
      if (step.to === owner) assert.match(answer, /is already/, what);
      else refusedForRound(answer, deal, step.to, what);
      return assert.deepEqual(kept(after), kept(deal), what);
    }
    count(`reassign moved ${said.status}`);
    moved(deal, after, step.to, what);
  }

  /** `reassign all deals of <owner> to <person>`: each of this run's deals of the owner moves or is refused, with the reason. */
  async function reassignAll(step: Extract<Step, { kind: 'reassignAll' }>, deal: Deal, ids: string[]): Promise<void> {
    const from = keyOf(deal.owner);
    const before = await Promise.all(ids.map(stored));
    const said = await h.say(`reassign all deals of ${USERS[from].name} to ${USERS[step.to].name}`, { as: step.by });
    const answer = textOf(said);
    const after = await Promise.all(ids.map(stored));
    const what = `reassign all deals of ${from} to ${step.to} as ${step.by}: ${answer.slice(0, 400)}`;
    const theirs = before.map((d) => keyOf(d.owner) === from);
    if (!mayReassign(step.by, from) || step.to === from) {
      count(`reassignAll refused ${said.status}`);
      assert.match(answer, step.to === from ? /would take over their own deals/ : /manager or a DealDesk admin can reassign .* deals\. Nothing was changed/, what);
      return before.forEach((d, i) => assert.deepEqual(kept(after[i]), kept(d), what));
    }
    let movedNow = 0;
    for (const [i, d] of before.entries()) {
      if (!theirs[i] || keyOf(after[i].owner) !== step.to) {
        assert.deepEqual(kept(after[i]), kept(d), `${what}: ${d.id} kept`);
        if (theirs[i]) {
          assert.match(answer, new RegExp(`${d.id} was not moved: ${d.id} can't go to`), what);
          refusedForRound(answer, d, step.to, `${what}: ${d.id}`);
        }
        continue;
      }
      movedNow++;
      moved(d, after[i], step.to, `${what}: ${d.id}`);
    }
    count(`reassignAll ${movedNow} moved ${said.status}`);
    assert.match(answer, new RegExp(`Deals of .* to .*: ${movedNow} moved|owns no deals`), what);
  }

  /** A reassignment refused for the round: only when the new owner would leave a level unable to finish; it names that level. */
  function refusedForRound(answer: string, deal: Deal, to: UserKey, what: string): void {
    const stuck = stuckIfOwnedBy(deal, to);
    count('reassign refusedForRound');
    assert.ok(stuck.length > 0, `${what}: refused, but ${to} as owner leaves every level able to finish`);
    assert.match(answer, new RegExp(`can't go to ${USERS[to].name}: they approve level ${stuck[0].name} `), what);
  }

  /** A deal that changed hands: to its new owner, with its round, stage and terms as they were, no level newly stuck. */
  function moved(before: Deal, after: Deal, to: UserKey, what: string): void {
    assert.equal(after.owner.id, USERS[to].aadObjectId, what);
    assert.deepEqual({ ...kept(after), owner: undefined, history: undefined }, { ...kept(before), owner: undefined, history: undefined }, `${what}: the round, stage and terms are unchanged`);
    const newlyStuck = stuckLevels(after).filter((l) => !stuckLevels(before).includes(l));
    assert.deepEqual(newlyStuck, [], `${what}: a level of the round can no longer finish`);
  }

  it(`${RUNS} random sequences of up to ${STEPS} changes through every entry point: no Won deal is complex and uncovered, nobody decides on their own deal or request, a reassignment never changes a round`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(VALUE, LINES), fc.tuple(VALUE, LINES), fc.array(STEP, { minLength: 1, maxLength: STEPS, size: 'max' }), async (first, second, sequence) => {
        const ids = [await create(...first), await create(...second)];
        const won = [false, false];
        const done: string[] = [];
        let deals = await Promise.all(ids.map(stored));
        try {
          for (const step of sequence) {
            // Read again: background delivery may have written the deal (its notices) since the last check.
            await run(step, ids[step.deal], await stored(ids[step.deal]), ids);
            steps++;
            done.push(JSON.stringify(step));
            const now = await Promise.all(ids.map(stored));
            for (const [i, deal] of now.entries()) {
              const after = done.join(' → ');
              assertCovered(deal, policy, after);
              // Whoever decided in this step neither owns the deal nor asked for the round.
              const earlier = decisionsOf(deals[i]);
              for (const e of deal.approvalTrail.filter((x) => x.event === 'decided' && !earlier.has(`${x.round}|${x.by.id}|${x.at}`))) {
                assert.notEqual(e.by.id, deals[i].owner.id, `${deal.id}: ${e.by.name} decided on their own deal after ${after}`);
                assert.notEqual(e.by.id, deal.approval?.round === e.round ? deal.approval.requestedBy.id : undefined, `${deal.id}: ${e.by.name} decided on the round they requested after ${after}`);
              }
              const isWon = deal.outcome === 'Won';
              if (isWon && !won[i] && evaluatePolicy(deal, policy).complex) wonComplex++;
              won[i] = isWon;
            }
            deals = now;
          }
        } finally {
          // Bookkeeping, not a step: the run's deals leave the people the steps name (one write each, straight to the store).
          for (const id of ids) await retire(id);
        }
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
    );
    // The run reached the states that matter: complex deals closed Won (after approval), not only refusals.
    assert.ok(wonComplex > 0, 'some complex deal was closed Won, covered');
  });
});
