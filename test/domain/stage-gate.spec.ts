import assert from 'node:assert/strict';
import { missingForMove } from '../../src/domain/stage-gate';
import { FULL_EVIDENCE } from './deal-fixture';

const NONE = {};

describe('stage gates (missingForMove)', () => {
  it('leaving Prospect needs nothing', () => {
    assert.deepEqual(missingForMove('Prospect', { stage: 'Qualify' }, NONE, false), []);
  });

  it('leaving Qualify needs a BDM, a TDM and a budget', () => {
    assert.deepEqual(missingForMove('Qualify', { stage: 'Solution' }, NONE, false), ['bdm', 'tdm', 'budget']);
  });

  it('leaving Qualify asks only for what is still missing', () => {
    assert.deepEqual(missingForMove('Qualify', { stage: 'Solution' }, { bdm: 'Dana, CFO' }, false), ['tdm', 'budget']);
  });

  it('evidence that is only white space does not count', () => {
    assert.deepEqual(missingForMove('Qualify', { stage: 'Solution' }, { bdm: '   ', tdm: 'Lee', budget: '\t' }, false), ['bdm', 'budget']);
  });

  it('leaving Solution needs a solution outline', () => {
    assert.deepEqual(missingForMove('Solution', { stage: 'Proof' }, NONE, false), ['solutionOutline']);
  });

  it('leaving Proof for Close won needs a proposal/SOW reference and the final NWS value', () => {
    assert.deepEqual(missingForMove('Proof', { stage: 'Close', outcome: 'Won' }, NONE, false), ['proposalRef', 'finalValue']);
  });

  it('closing won with all evidence still needs the final NWS value confirmed', () => {
    assert.deepEqual(missingForMove('Proof', { stage: 'Close', outcome: 'Won' }, { ...FULL_EVIDENCE }, false), ['finalValue']);
    assert.deepEqual(missingForMove('Proof', { stage: 'Close', outcome: 'Won' }, { ...FULL_EVIDENCE }, true), []);
  });

  it('skipping stages passes every gate on the way (Prospect → Proof)', () => {
    assert.deepEqual(missingForMove('Prospect', { stage: 'Proof' }, NONE, false), ['bdm', 'tdm', 'budget', 'solutionOutline']);
  });

  it('skipping straight to Close won accumulates every gate and the final value', () => {
    assert.deepEqual(missingForMove('Prospect', { stage: 'Close', outcome: 'Won' }, NONE, false), [
      'bdm', 'tdm', 'budget', 'solutionOutline', 'proposalRef', 'finalValue',
    ]);
  });

  it('skipping stages with all evidence at hand needs nothing', () => {
    assert.deepEqual(missingForMove('Prospect', { stage: 'Proof' }, { ...FULL_EVIDENCE }, false), []);
  });

  it('closing lost passes no gate, from any stage', () => {
    for (const from of ['Prospect', 'Qualify', 'Solution', 'Proof'] as const) {
      assert.deepEqual(missingForMove(from, { stage: 'Close', outcome: 'Lost' }, NONE, false), [], from);
    }
  });

  it('moving backwards needs no evidence', () => {
    assert.deepEqual(missingForMove('Proof', { stage: 'Qualify' }, NONE, false), []);
    assert.deepEqual(missingForMove('Solution', { stage: 'Prospect' }, NONE, false), []);
  });

  it('staying in the same stage needs no evidence', () => {
    assert.deepEqual(missingForMove('Qualify', { stage: 'Qualify' }, NONE, false), []);
  });
});
