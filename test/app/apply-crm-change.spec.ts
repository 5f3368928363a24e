import assert from 'node:assert/strict';
import { APPLIED_EVENTS_KEPT, applyCrmChange, type CrmChangeInput } from '../../src/app/apply-crm-change';
import { type AppDeps, DEFAULT_SETTINGS } from '../../src/app/context';
import type { Deal } from '../../src/domain/deal';
import { type DomainError, isDomainError } from '../../src/domain/errors';
import type { Store } from '../../src/ports/store.port';
import { aDeal, aDealIn, FULL_EVIDENCE } from '../domain/deal-fixture';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { MemoryLogger } from '../support/memory-logger';

const NOW = new Date('2026-11-26T09:00:00Z');
const CRM_ACTOR = { name: 'Dana Smith', email: 'Dana.Smith@Contoso.com' };

async function domainErrorOf(act: () => Promise<unknown>): Promise<DomainError> {
  try {
    await act();
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

describe('applyCrmChange: a CRM change as one conditional write (embedded Cosmos store)', () => {
  let t: TestStore;
  let store: Store;
  let deps: AppDeps;
  let n = 0;
  let tenantId: string;

  before(async () => {
    t = await startTestStore();
    store = t.store;
    deps = { store, clock: { now: () => NOW }, logger: new MemoryLogger(), settings: DEFAULT_SETTINGS };
  });
  after(async () => t?.stop());
  beforeEach(() => {
    n += 1;
    tenantId = `tenant-crm-${n}`;
  });

  /** Stores a deal in this test's tenant (D-1042 unless told otherwise). */
  async function given(deal: Deal): Promise<Deal> {
    return (await store.deals.create({ ...deal, tenantId })).deal;
  }
  const stored = async (id = 'D-1042') => (await store.deals.get(tenantId, id))!.deal;
  const input = (overrides: Partial<CrmChangeInput> = {}): CrmChangeInput => ({
    tenantId,
    dealId: 'D-1042',
    eventId: `crm-${n}-1`,
    actor: CRM_ACTOR,
    changes: {},
    ...overrides,
  });

  it('applies several fields in one write (rev +1), recorded as the CRM user and remembering the event', async () => {
    const before = await given(aDeal());
    const result = await applyCrmChange(deps, input({ changes: { value: 2_000_000, currency: 'EUR', closeDate: '2027-06-30', probability: 60, nextStep: 'Send the SOW' } }));
    assert.equal(result.applied, true);
    assert.equal(result.duplicate, undefined);
    const deal = await stored();
    assert.deepEqual(result.deal, deal);
    assert.equal(deal.rev, before.rev + 1, 'one write is one revision');
    assert.deepEqual(deal.value, { amount: 2_000_000, currency: 'EUR' });
    assert.equal(deal.closeDate, '2027-06-30');
    assert.equal(deal.probability, 60);
    assert.equal(deal.nextStep, 'Send the SOW');
    const added = deal.history.slice(before.history.length);
    assert.deepEqual(added.map((h) => h.change.kind === 'field' && h.change.field), ['value', 'currency', 'closeDate', 'probability', 'nextStep']);
    for (const h of added) {
      assert.deepEqual(h.by, { id: 'external:dana.smith@contoso.com', name: 'Dana Smith (CRM)' });
      assert.equal(h.at, NOW.toISOString());
    }
    assert.deepEqual(deal.appliedEvents, [`crm-${n}-1`]);
    assert.equal(deal.outbox.length, 1, 'the value and close date changes queue an alert in the same write');
  });

  it('without an email the actor id is external:<name>', async () => {
    await given(aDeal());
    await applyCrmChange(deps, input({ actor: { name: 'CRM Sync' }, changes: { nextStep: 'Call back' } }));
    assert.deepEqual((await stored()).history.at(-1)!.by, { id: 'external:CRM Sync', name: 'CRM Sync (CRM)' });
  });

  it('a stage change with its evidence passes the gate: Qualify → Proof in one write', async () => {
    const before = await given(aDealIn('Qualify', { evidence: {} }));
    const evidence = { bdm: FULL_EVIDENCE.bdm, tdm: FULL_EVIDENCE.tdm, budget: FULL_EVIDENCE.budget, solutionOutline: FULL_EVIDENCE.solutionOutline };
    const result = await applyCrmChange(deps, input({ changes: { stage: 'Proof', probability: 60, evidence, note: 'Workshop done' } }));
    assert.equal(result.applied, true);
    const deal = await stored();
    assert.equal(deal.stage, 'Proof');
    assert.deepEqual(deal.evidence, evidence);
    assert.equal(deal.rev, before.rev + 1);
    assert.deepEqual(deal.history.at(-1)!.change, { kind: 'stage', from: 'Qualify', to: 'Proof', note: 'Workshop done' });
  });

  it('a complex deal closes Won from the CRM only once approved, like in chat', async () => {
    const before = await given(aDealIn('Proof'));
    const error = await domainErrorOf(() => applyCrmChange(deps, input({ changes: { stage: 'Won', value: '2m' } })));
    assert.deepEqual(error.params.missing, ['approval']);
    assert.deepEqual(await stored(), before);
  });

  it('closing Won takes changes.value as the final value ("Closed Won" is accepted)', async () => {
    // A deal the approval policy does not call complex (under 1M USD, one service line): no approval needed.
    await given(aDealIn('Proof', { serviceLines: ['Consulting'], value: { amount: 400_000, currency: 'USD' } }));
    await applyCrmChange(deps, input({ changes: { stage: 'Closed Won', value: '800k' } }));
    const deal = await stored();
    assert.equal(deal.stage, 'Close');
    assert.equal(deal.outcome, 'Won');
    assert.equal(deal.value.amount, 800_000);
    assert.equal(deal.probability, 100);
  });

  it('a stage change without its evidence is refused with DEAL.STAGE_GATE_UNMET listing what is missing; nothing is stored', async () => {
    const before = await given(aDealIn('Qualify', { evidence: {} }));
    const error = await domainErrorOf(() => applyCrmChange(deps, input({ changes: { stage: 'Solution', value: 3_000_000, evidence: { bdm: 'Dana Smith' } } })));
    assert.equal(error.code, 'DEAL.STAGE_GATE_UNMET');
    assert.deepEqual(error.params.missing, ['tdm', 'budget']);
    assert.equal(error.params.field, 'stage');
    assert.deepEqual(await stored(), before, 'not the value, not the evidence, not the event id');
  });

  it('closing Won without a value is refused, missing the final value', async () => {
    const before = await given(aDealIn('Proof'));
    const error = await domainErrorOf(() => applyCrmChange(deps, input({ changes: { stage: 'Won' } })));
    assert.equal(error.code, 'DEAL.STAGE_GATE_UNMET');
    assert.deepEqual(error.params.missing, ['finalValue', 'approval'], 'and, this deal being complex, its approval');
    assert.deepEqual(await stored(), before);
  });

  it('moving backwards or closing Lost needs changes.note as the reason', async () => {
    const before = await given(aDealIn('Proof'));
    const error = await domainErrorOf(() => applyCrmChange(deps, input({ changes: { stage: 'Lost' } })));
    assert.equal(error.code, 'DEAL.REASON_REQUIRED');
    assert.equal(error.params.field, 'note');
    assert.deepEqual(await stored(), before);

    await applyCrmChange(deps, input({ changes: { stage: 'Qualify', note: 'Budget re-opened' } }));
    assert.equal((await stored()).stage, 'Qualify');
  });

  it('the same event id twice: the second is a duplicate and the deal is unchanged', async () => {
    await given(aDeal());
    const first = await applyCrmChange(deps, input({ eventId: 'crm-dup', changes: { value: 2_500_000 } }));
    assert.equal(first.applied, true);
    const afterFirst = await stored();

    const second = await applyCrmChange(deps, input({ eventId: 'crm-dup', changes: { value: 2_500_000, nextStep: 'something else' } }));
    assert.deepEqual(second, { applied: false, duplicate: true, deal: afterFirst });
    assert.deepEqual(await stored(), afterFirst, 'nothing written: same rev, same history');
  });

  it('two deliveries of one event at the same moment: exactly one applies (the re-read after 412 sees the event)', async () => {
    await given(aDeal());
    const delivery = input({ eventId: 'crm-race', changes: { probability: 70 } });
    let interleaved: Awaited<ReturnType<typeof applyCrmChange>> | undefined;
    // The second delivery reads the deal, then the first delivery writes before it does.
    const racing: AppDeps = {
      ...deps,
      store: {
        ...store,
        // The repository is a class: keep its methods, override `get`.
        deals: Object.assign(Object.create(store.deals) as Store['deals'], {
          get: async (tenant: string, id: string) => {
            const read = await store.deals.get(tenant, id);
            if (!interleaved) interleaved = await applyCrmChange(deps, delivery);
            return read;
          },
        }),
      },
    };
    const second = await applyCrmChange(racing, delivery);
    assert.equal(interleaved?.applied, true);
    assert.equal(second.applied, false);
    assert.equal(second.duplicate, true);
    const deal = await stored();
    assert.equal(deal.rev, 2);
    assert.equal(deal.history.filter((h) => h.change.kind === 'field' && h.change.field === 'probability').length, 1);
    assert.deepEqual(deal.appliedEvents, ['crm-race']);
    assert.ok((deps.logger as MemoryLogger).lines.some((l) => l.msg === 'deal changed during update; re-reading'), 'the 412 path was taken');
  });

  it(`remembers the last ${APPLIED_EVENTS_KEPT} event ids`, async () => {
    const old = Array.from({ length: APPLIED_EVENTS_KEPT }, (_, i) => `old-${i}`);
    await given({ ...aDeal(), appliedEvents: old });
    await applyCrmChange(deps, input({ eventId: 'newest', changes: { nextStep: 'Next' } }));
    const deal = await stored();
    assert.equal(deal.appliedEvents.length, APPLIED_EVENTS_KEPT);
    assert.equal(deal.appliedEvents[0], 'old-1');
    assert.equal(deal.appliedEvents.at(-1), 'newest');
  });

  it('a bad value is refused with its domain code and field, and nothing is stored (not even the good fields)', async () => {
    const before = await given(aDeal());
    const error = await domainErrorOf(() => applyCrmChange(deps, input({ changes: { nextStep: 'Fine', value: 'lots' } })));
    assert.equal(error.code, 'DEAL.VALUE_INVALID');
    assert.equal(error.params.field, 'value');
    assert.deepEqual(await stored(), before);
  });

  it('names the field of other refusals: wrong types, unknown fields and stages, bad evidence', async () => {
    await given(aDeal());
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ value: true }, 'DEAL.VALUE_INVALID', 'value'],
      [{ currency: 'XYZ' }, 'DEAL.CURRENCY_INVALID', 'currency'],
      [{ closeDate: '2027-02-30' }, 'DEAL.CLOSE_DATE_INVALID', 'closeDate'],
      [{ probability: 120 }, 'DEAL.PROBABILITY_INVALID', 'probability'],
      [{ stage: 'Negotiation' }, 'DEAL.STAGE_UNKNOWN', 'stage'],
      [{ stage: 'Close' }, 'DEAL.CLOSE_NEEDS_OUTCOME', 'stage'],
      [{ owner: 'someone' }, 'DEAL.FIELD_UNKNOWN', 'owner'],
      [{ evidence: { champion: 'x' } }, 'DEAL.FIELD_UNKNOWN', 'evidence.champion'],
      [{ evidence: { bdm: 'x'.repeat(501) } }, 'DEAL.EVIDENCE_INVALID', 'evidence.bdm'],
      [{}, 'REQUEST.INVALID', 'changes'],
    ];
    for (const [changes, code, field] of cases) {
      const error = await domainErrorOf(() => applyCrmChange(deps, input({ changes })));
      assert.equal(error.code, code, JSON.stringify(changes));
      assert.equal(error.params.field, field, JSON.stringify(changes));
    }
    const badActor = await domainErrorOf(() => applyCrmChange(deps, input({ actor: {}, changes: { nextStep: 'x' } })));
    assert.equal(badActor.params.field, 'actor');
    assert.equal((await stored()).rev, 1);
  });

  it('an unknown deal is DEAL.NOT_FOUND', async () => {
    const error = await domainErrorOf(() => applyCrmChange(deps, input({ dealId: 'D-9999', changes: { nextStep: 'x' } })));
    assert.equal(error.code, 'DEAL.NOT_FOUND');
  });

  it('the CRM may resend the stage the deal is at (a snapshot): no move, no gate, the other fields apply', async () => {
    await given(aDealIn('Proof'));
    await applyCrmChange(deps, input({ changes: { stage: 'Proof', nextStep: 'Sign' } }));
    const deal = await stored();
    assert.equal(deal.stage, 'Proof');
    assert.equal(deal.nextStep, 'Sign');
  });
});
