import assert from 'node:assert/strict';
import { summaryWriterFor } from '../../src/chat/run-summary-command';
import type { SummaryWriter } from '../../src/ports/update-reader.port';

/** Issue 21 §3: a language model never sees other users' deals, also when one of them is summarised. */
describe('summary <deal>: who writes the summary of whose deal', () => {
  const model: SummaryWriter = { kind: 'model', write: async () => 'by the model' };
  const deal = { owner: { id: 'alex', name: 'Alex' }, team: [{ person: { id: 'megan', name: 'Megan' }, role: 'Architect', addedAt: '2026-12-01T00:00:00Z' }] } as unknown as Parameters<typeof summaryWriterFor>[1];

  it('the owner and the deal team get the model', () => {
    assert.equal(summaryWriterFor('alex', deal, model), model);
    assert.equal(summaryWriterFor('megan', deal, model), model);
  });

  it('anyone else who may read the deal gets the template: the deal is never sent to the model', async () => {
    const writer = summaryWriterFor('patti', deal, model);
    assert.equal(writer.kind, 'offline');
    assert.doesNotMatch(await writer.write({ dealId: 'D-1001', title: 'T', account: 'A', changes: [], risks: [], suggestedNextStep: 'Call' }, 'en-US', AbortSignal.timeout(1000)), /by the model/);
  });
});
