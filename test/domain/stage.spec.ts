import assert from 'node:assert/strict';
import { nextStage, parseMoveTarget, STAGES, stageIndex } from '../../src/domain/stage';
import { domainErrorOf } from './deal-fixture';

describe('stages (parseMoveTarget)', () => {
  it('the stages run Prospect → Qualify → Solution → Proof → Close, and nothing follows Close', () => {
    assert.deepEqual([...STAGES], ['Prospect', 'Qualify', 'Solution', 'Proof', 'Close']);
    assert.equal(nextStage('Prospect'), 'Qualify');
    assert.equal(nextStage('Proof'), 'Close');
    assert.equal(nextStage('Close'), undefined);
    assert.equal(stageIndex('Solution'), 2);
  });

  for (const [typed, stage] of [
    ['prospect', 'Prospect'],
    ['Qualify', 'Qualify'],
    ['QUALIFY', 'Qualify'],
    ['qualification', 'Qualify'],
    ['  Solution  ', 'Solution'],
    ['pRoOf', 'Proof'],
  ] as const) {
    it(`"${typed}" means the open stage ${stage}, whatever the case and spaces`, () => {
      assert.deepEqual(parseMoveTarget(typed), { stage });
    });
  }

  for (const [typed, outcome] of [
    ['won', 'Won'],
    ['Won', 'Won'],
    ['close won', 'Won'],
    ['Closed   Won', 'Won'],
    ['closed-won', 'Won'],
    ['close_won', 'Won'],
    ['lost', 'Lost'],
    ['CLOSE LOST', 'Lost'],
    ['closed lost', 'Lost'],
  ] as const) {
    it(`"${typed}" means closing ${outcome}`, () => {
      assert.deepEqual(parseMoveTarget(typed), { stage: 'Close', outcome });
    });
  }

  for (const typed of ['close', 'Closed', '  CLOSE ']) {
    it(`"${typed}" alone asks for an outcome (DEAL.CLOSE_NEEDS_OUTCOME)`, () => {
      const error = domainErrorOf(() => parseMoveTarget(typed));
      assert.equal(error.code, 'DEAL.CLOSE_NEEDS_OUTCOME');
    });
  }

  it('an unknown stage is refused with DEAL.STAGE_UNKNOWN, naming what was typed (trimmed)', () => {
    const error = domainErrorOf(() => parseMoveTarget('  negotiation '));
    assert.equal(error.code, 'DEAL.STAGE_UNKNOWN');
    assert.deepEqual(error.params, { stage: 'negotiation' });
  });

  it('the stage named in DEAL.STAGE_UNKNOWN is cut to 40 characters', () => {
    const error = domainErrorOf(() => parseMoveTarget('x'.repeat(100)));
    assert.equal(error.code, 'DEAL.STAGE_UNKNOWN');
    assert.equal(error.params.stage, `${'x'.repeat(39)}…`);
  });

  for (const typed of ['', 'Close Won Now', 'qualifyy', 'Close-d']) {
    it(`"${typed}" is not a stage`, () => {
      assert.equal(domainErrorOf(() => parseMoveTarget(typed)).code, 'DEAL.STAGE_UNKNOWN');
    });
  }
});
