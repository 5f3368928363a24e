import assert from 'node:assert/strict';
import fc from 'fast-check';
import { type Deal, withChanges } from '../../src/domain/deal';
import { ARCHIVE_CHUNK, archiveOldest, entryCount, KEPT_IN_DEAL, MOST_IN_DEAL } from '../../src/domain/deal-archive';
import { assemblePage, chunksFor, newestPage, pageRange } from '../../src/domain/entry-page';
import { movedDeal } from '../../src/domain/move-deal';
import { closedOn } from '../../src/domain/quota';
import { wonOn } from '../../src/domain/account-summary';
import { decide, requestApproval } from '../../src/domain/approval-round';
import { ADELE, complexDeal, hoursLater, REQUESTED_AT, staffedPolicy, TIMING } from '../cards/approval-fixtures';
import { ALEX, aDeal, aDealIn, FULL_EVIDENCE } from './deal-fixture';

const at = (i: number) => new Date(Date.parse('2026-11-21T00:00:00.000Z') + i * 60_000).toISOString();
/** The deal after `count` notes, each stored as the store would (archived after every write). */
function withNotes(deal: Deal, count: number, from = 1): { deal: Deal; chunks: Map<number, Deal['history']> } {
  const chunks = new Map<number, Deal['history']>();
  let next = deal;
  for (let i = from; i < from + count; i++) {
    const kept = archiveOldest(withChanges(next, ALEX, at(i), [{ kind: 'note', text: `note ${i}` }], {}));
    for (const chunk of kept.chunks) chunks.set(chunk.chunk, chunk.entries as Deal['history']);
    next = kept.deal;
  }
  return { deal: next, chunks };
}
const noteOf = (entry: Deal['history'][number]) => (entry.change.kind === 'note' ? entry.change.text : entry.change.kind);

describe('a deal keeps its latest history and audit entries; older ones move to archive chunks (issue 14, item 7)', () => {
  it('nothing moves while a list is shorter than KEPT_IN_DEAL + ARCHIVE_CHUNK', () => {
    const { deal } = withNotes(aDeal(), MOST_IN_DEAL - 1); // + "created"
    assert.equal(deal.history.length, MOST_IN_DEAL);
    const kept = archiveOldest(deal);
    assert.equal(kept.deal, deal);
    assert.deepEqual(kept.chunks, []);
  });

  it('at KEPT_IN_DEAL + ARCHIVE_CHUNK the oldest ARCHIVE_CHUNK move into chunk 0; the deal counts them', () => {
    const { deal } = withNotes(aDeal(), MOST_IN_DEAL - 1);
    const next = withChanges(deal, ALEX, at(999), [{ kind: 'note', text: 'one more' }], {});
    const { deal: kept, chunks } = archiveOldest(next);
    assert.equal(chunks.length, 1);
    assert.deepEqual(chunks[0], { tenantId: deal.tenantId, dealId: deal.id, list: 'history', chunk: 0, entries: next.history.slice(0, ARCHIVE_CHUNK) });
    assert.equal(kept.history.length, KEPT_IN_DEAL);
    assert.deepEqual(kept.archived, { history: ARCHIVE_CHUNK, approvalTrail: 0 });
    assert.deepEqual(kept.history, next.history.slice(ARCHIVE_CHUNK));
    assert.equal(entryCount(kept, 'history'), next.history.length);
  });

  it('however many changes, the deal holds between KEPT_IN_DEAL and MOST_IN_DEAL entries, and chunk n always holds entries n×ARCHIVE_CHUNK onwards', () => {
    const { deal, chunks } = withNotes(aDeal(), 2_200);
    assert.equal(entryCount(deal, 'history'), 2_201);
    assert.ok(deal.history.length >= KEPT_IN_DEAL && deal.history.length <= MOST_IN_DEAL, String(deal.history.length));
    assert.equal(deal.archived.history % ARCHIVE_CHUNK, 0);
    assert.equal(chunks.size, deal.archived.history / ARCHIVE_CHUNK);
    const all = [...[...chunks.keys()].sort((a, b) => a - b).flatMap((k) => chunks.get(k)!), ...deal.history];
    assert.deepEqual(all.map(noteOf), ['created', ...Array.from({ length: 2_200 }, (_, i) => `note ${i + 1}`)]);
  });

  it('the same stored deal always yields the same chunks: a rewrite after a failed write is identical', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 5 }), (notes, added) => {
        const { deal } = withNotes(aDeal(), notes);
        const change = (text: string) => withChanges(deal, ALEX, at(5_000), Array.from({ length: added }, (_, i) => ({ kind: 'note' as const, text: `${text} ${i}` })), {});
        // Two writers start from the same stored deal with different changes: whatever either archives is the same.
        const a = archiveOldest(change('mine')).chunks;
        const b = archiveOldest(change('theirs')).chunks;
        assert.deepEqual(a, b);
        for (const chunk of a) assert.ok(chunk.entries.every((e) => deal.history.includes(e as Deal['history'][number])), 'only entries the stored deal held');
      }),
      { numRuns: 60 },
    );
  });

  it('a deal already too long (written before archiving) moves every whole chunk at once, keeping the latest', () => {
    let deal = aDeal();
    for (let i = 1; i <= 500; i++) deal = withChanges(deal, ALEX, at(i), [{ kind: 'note', text: `note ${i}` }], {});
    const { deal: kept, chunks } = archiveOldest(deal);
    const whole = Math.floor((501 - KEPT_IN_DEAL) / ARCHIVE_CHUNK);
    assert.equal(chunks.length, whole);
    assert.deepEqual(chunks.map((c) => c.chunk), Array.from({ length: whole }, (_, i) => i));
    assert.equal(kept.history.length, 501 - whole * ARCHIVE_CHUNK);
    assert.ok(kept.history.length >= KEPT_IN_DEAL && kept.history.length <= MOST_IN_DEAL);
  });

  it('the approval audit trail moves out the same way, round after round', () => {
    const policy = staffedPolicy();
    let deal = complexDeal();
    for (let round = 0; round < 40; round++) {
      deal = archiveOldest(requestApproval(deal, policy, ALEX, 'please', hoursLater(round * 2), TIMING, { confirmToOwner: true })).deal;
      deal = archiveOldest(decide(deal, ADELE, 'changesRequested', `round ${round + 1}: cap the discount`, hoursLater(round * 2 + 1), TIMING)).deal;
    }
    assert.ok(deal.archived.approvalTrail > 0, 'some of the trail was archived');
    assert.ok(deal.approvalTrail.length >= KEPT_IN_DEAL && deal.approvalTrail.length <= MOST_IN_DEAL);
    assert.equal(entryCount(deal, 'approvalTrail'), 40 * 3);
  });

  it('notice ids count the whole trail, archived entries included: a long round never reuses one (deliveries are keyed by it)', () => {
    // Every level needs all of its 30 approvers: one round of some 95 audit entries, archived as it goes.
    const crowd = (level: string) => Array.from({ length: 30 }, (_, i) => ({ id: `aad-${level}-${i}`, name: `${level} ${i}` }));
    const policy = staffedPolicy({ manager: { approvers: crowd('m'), mode: 'all' }, director: { approvers: crowd('d'), mode: 'all' }, dealDesk: { approvers: crowd('x'), mode: 'all' } });
    let deal = archiveOldest(requestApproval(complexDeal(), policy, ALEX, 'please', REQUESTED_AT, TIMING, { confirmToOwner: true })).deal;
    const ids: string[] = deal.notices.map((n) => n.id);
    for (const level of ['m', 'd', 'x']) {
      for (const person of crowd(level)) {
        const before = deal.notices.length;
        deal = archiveOldest(decide(deal, person, 'approved', '', hoursLater(1), TIMING)).deal;
        ids.push(...deal.notices.slice(before).map((n) => n.id));
      }
    }
    assert.equal(deal.approval?.status, 'approved');
    assert.ok(deal.archived.approvalTrail >= 2 * ARCHIVE_CHUNK, 'the round was archived while it ran');
    assert.equal(new Set(ids).size, ids.length, 'no notice id repeats');
  });

  it('a closed deal remembers when it closed, so the day it was won survives its history being archived', () => {
    const won = movedDeal(aDealIn('Proof'), { stage: 'Close', outcome: 'Won' }, { finalValue: '1.2m' }, ALEX, '2026-12-01T10:00:00.000Z');
    assert.equal(won.closedAt, '2026-12-01T10:00:00.000Z');
    const { deal } = withNotes(won, 300);
    assert.ok(!deal.history.some((h) => h.change.kind === 'stage'), 'the move to Close is archived');
    assert.equal(closedOn(deal), '2026-12-01');
    assert.equal(wonOn(deal), '2026-12-01');
    const reopened = movedDeal(deal, { stage: 'Proof' }, { note: 'customer came back', evidence: FULL_EVIDENCE }, ALEX, '2026-12-05T10:00:00.000Z');
    assert.equal(reopened.closedAt, undefined);
  });

  it('a deal closed before closedAt existed gets it from its history before the move to Close is archived', () => {
    const won = movedDeal(aDealIn('Proof'), { stage: 'Close', outcome: 'Won' }, { finalValue: '1.2m' }, ALEX, '2026-12-01T10:00:00.000Z');
    let legacy: Deal = { ...won, closedAt: undefined };
    for (let i = 1; i <= 200; i++) legacy = withChanges(legacy, ALEX, at(i), [{ kind: 'note', text: `note ${i}` }], {});
    const { deal } = archiveOldest(legacy);
    assert.equal(deal.closedAt, '2026-12-01T10:00:00.000Z');
    assert.equal(wonOn(deal), '2026-12-01');
  });

  it('a deal whose archived count is not whole chunks is a broken store: refused loudly', () => {
    const { deal } = withNotes(aDeal(), 80);
    assert.throws(() => archiveOldest({ ...deal, archived: { ...deal.archived, history: 7 } }), /not whole chunks/);
  });
});

describe('paging a list newest first: pages named by where they end', () => {
  it('the newest page, then Older down to the first entry, then Newer up again', () => {
    assert.deepEqual(pageRange(25, 10), { start: 15, end: 25, total: 25, older: { end: 15 } });
    assert.deepEqual(pageRange(25, 10, 15), { start: 5, end: 15, total: 25, newer: {}, older: { end: 5 } });
    assert.deepEqual(pageRange(25, 10, 5), { start: 0, end: 5, total: 25, newer: { end: 15 } });
    assert.deepEqual(pageRange(7, 10), { start: 0, end: 7, total: 7 });
    assert.deepEqual(pageRange(0, 10), { start: 0, end: 0, total: 0 });
  });

  it('an end past the list, zero, negative or not a number is the newest page', () => {
    for (const end of [26, 1e9, 0, -3, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(pageRange(25, 10, end).end, 25, String(end));
  });

  it('a page names only the chunks the deal counts and no longer holds', () => {
    const { deal } = withNotes(aDeal(), 200); // 201 entries
    const archived = deal.archived.history;
    assert.deepEqual(chunksFor(deal, 'history', pageRange(201, 10)), []);
    // A page straddling the deal's first entry needs only the last archived chunk.
    assert.deepEqual(chunksFor(deal, 'history', pageRange(201, 10, archived + 5)), [Math.floor((archived - 5) / ARCHIVE_CHUNK)]);
    // Positions 25…34: chunks 2 and 3 (of ten entries each).
    assert.equal(ARCHIVE_CHUNK, 10);
    assert.deepEqual(chunksFor(deal, 'history', pageRange(201, 10, 35)), [2, 3]);
  });

  it('following Older from the newest page visits every entry once, newest first', () => {
    const { deal, chunks } = withNotes(aDeal(), 333);
    const seen: number[] = [];
    let range = pageRange(entryCount(deal, 'history'), 10);
    for (;;) {
      const page = assemblePage(deal, 'history', range, new Map([...chunks].filter(([k]) => chunksFor(deal, 'history', range).includes(k))));
      seen.push(...page.entries.map((e) => e.position));
      if (!page.older) break;
      range = pageRange(entryCount(deal, 'history'), 10, page.older.end);
    }
    assert.deepEqual(seen, Array.from({ length: 334 }, (_, i) => 333 - i));
  });

  it('a page that needs a chunk it was not given is refused, never shown with a hole', () => {
    const { deal } = withNotes(aDeal(), 200);
    assert.throws(() => assemblePage(deal, 'history', pageRange(201, 10, 10), new Map()), /entry 9 is missing/);
  });

  it('the newest page comes from the deal alone', () => {
    const { deal } = withNotes(aDeal(), 2_000);
    const page = newestPage(deal, 'history', 10);
    assert.deepEqual(page.entries.map((e) => noteOf(e.entry)), Array.from({ length: 10 }, (_, i) => `note ${2_000 - i}`));
    assert.equal(page.entries[0].position, 2_000);
  });
});
