import assert from 'node:assert/strict';
import { APPROVERS_MAX, setApprovers } from '../../src/app/approval-settings';
import { type AppDeps, DEFAULT_SETTINGS } from '../../src/app/context';
import { logOnDeal } from '../../src/app/log-on-deal';
import { recordCsatScore } from '../../src/app/record-csat';
import type { Notice } from '../../src/domain/approval';
import { DomainError } from '../../src/domain/errors';
import { NOTICES_WAITING_MAX_BYTES } from '../../src/domain/waiting-notices';
import { domainRefusal } from '../../src/http/webhook-errors';
import { plannedDeal } from '../cards/csat-fixtures';
import { ALEX } from '../domain/deal-fixture';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { MemoryLogger } from '../support/memory-logger';

/** Issue 14, item 7: the bounds that refuse a change, on the embedded store, as the use cases meet them. */
describe('bounds that refuse a change: messages waiting, approvers per level (issue 14, item 7)', () => {
  let t: TestStore;
  let n = 0;
  let tenantId: string;
  const deps = (admins: string[] = []): AppDeps => ({ store: t.store, clock: { now: () => new Date('2027-02-10T09:00:00Z') }, logger: new MemoryLogger(), settings: { ...DEFAULT_SETTINGS, admins } });
  const actor = () => ({ tenantId, user: ALEX });

  before(async () => {
    t = await startTestStore();
  });
  after(async () => t?.stop());
  beforeEach(() => {
    n += 1;
    tenantId = `tenant-limits-${n}`;
  });

  it('with delivery stuck and its messages piled up, a low CSAT (one more message) is refused (DEAL.MESSAGES_WAITING); a note still goes in', async () => {
    const to = Array.from({ length: 40 }, (_, i) => ({ id: `aad-${i}`, name: `Person ${i}` }));
    const notices: Notice[] = [];
    while (Buffer.byteLength(JSON.stringify(notices)) <= NOTICES_WAITING_MAX_BYTES) notices.push({ id: `lowCsat.X${notices.length}`, kind: 'lowCsat', csatId: `X${notices.length}`, to });
    const created = await t.store.deals.create({ ...plannedDeal(), tenantId, notices });
    const asked = created.deal.delivery!.followUps.find((f) => f.status === 'asked')!;
    await assert.rejects(
      recordCsatScore(deps(), actor(), created.deal.id, { followUpId: asked.id, score: '1', conditionsMet: 'no', comment: 'Late again' }),
      (e: DomainError) => e.code === 'DEAL.MESSAGES_WAITING' && e.params.id === created.deal.id,
    );
    assert.equal((await t.store.deals.get(tenantId, created.deal.id))!.etag, created.etag, 'nothing was written');
    const noted = await logOnDeal(deps(), actor(), created.deal.id, 'Customer call moved to Friday');
    assert.equal(noted.history.at(-1)!.change.kind, 'note');
  });

  it(`a level takes at most ${APPROVERS_MAX} approvers (each round copies them, and their decisions, into the deal)`, async () => {
    const people = Array.from({ length: APPROVERS_MAX + 1 }, (_, i) => ({ tenantId, id: `aad-p${i}`, name: `Approver ${i}`, updatedAt: '2027-01-01T00:00:00Z' }));
    const admin = deps([ALEX.id]);
    await assert.rejects(setApprovers(admin, actor(), '1', people, 'all'), (e: DomainError) => e.code === 'APPROVAL.TOO_MANY_APPROVERS' && e.params.max === APPROVERS_MAX);
    const policy = await setApprovers(admin, actor(), '1', people.slice(0, APPROVERS_MAX), 'all');
    assert.equal(policy.levels[0].approvers.length, APPROVERS_MAX);
  });

  it('the CRM webhook hears 503 (retry the same event) for messages waiting, and 409 for a deal too large to store', () => {
    assert.equal(domainRefusal(new DomainError('DEAL.MESSAGES_WAITING', { id: 'D-1042' })).status, 503);
    assert.match(domainRefusal(new DomainError('DEAL.MESSAGES_WAITING', { id: 'D-1042' })).error.message, /Retry the same event later/);
    assert.equal(domainRefusal(new DomainError('DEAL.TOO_LARGE', { id: 'D-1042' })).status, 409);
  });
});
