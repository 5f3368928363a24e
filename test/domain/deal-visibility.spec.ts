import assert from 'node:assert/strict';
import { maySeeDeal, type Viewer } from '../../src/domain/deal-visibility';
import { ALEX, MEGAN, aDeal } from './deal-fixture';

describe('who may see a deal (domain/deal-visibility)', () => {
  const deal = { ...aDeal(), team: [{ person: MEGAN, role: 'Architect' }] };
  const viewer = (id: string, more: Partial<Viewer> = {}): Viewer => ({ id, admin: false, reports: new Set(), ...more });

  it('its owner, a deal team member, the owner\'s manager and an admin', () => {
    assert.equal(maySeeDeal(viewer(ALEX.id), deal), true);
    assert.equal(maySeeDeal(viewer(MEGAN.id), deal), true);
    assert.equal(maySeeDeal(viewer('aad-boss', { reports: new Set([ALEX.id]) }), deal), true);
    assert.equal(maySeeDeal(viewer('aad-admin', { admin: true }), deal), true);
  });

  it('nobody else: not someone else\'s manager, not a former team member', () => {
    assert.equal(maySeeDeal(viewer('aad-patti'), deal), false);
    assert.equal(maySeeDeal(viewer('aad-boss', { reports: new Set(['aad-someone-else']) }), deal), false);
    assert.equal(maySeeDeal(viewer(MEGAN.id), { ...deal, team: [] }), false);
  });
});
