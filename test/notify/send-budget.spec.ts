import { strict as assert } from 'node:assert';
import { HANDOVER_MS, left, renewed } from '../../src/notify/send-budget';

/** When a newcomer may start sending: at once alone, a handover after a graceful leave, a lease later beside a live member. */
describe('send budget: when a joining instance starts sending', () => {
  const LEASE = 15_000;
  const T0 = Date.parse('2026-12-07T10:00:00Z');
  const activeFrom = (members: ReturnType<typeof renewed>, id: string) => Date.parse(members.find((m) => m.instanceId === id)!.activeFrom);

  it('alone: at once', () => {
    assert.equal(activeFrom(renewed([], 'b', T0, LEASE), 'b'), T0);
  });

  it('beside a live member: once that member has seen it (a lease and a handover later)', () => {
    const a = renewed([], 'a', T0, LEASE);
    assert.equal(activeFrom(renewed(a, 'b', T0 + 1000, LEASE), 'b'), T0 + 1000 + LEASE + HANDOVER_MS);
  });

  it('after the only member left (a graceful restart): one handover later, not a lease', () => {
    const gone = left(renewed([], 'a', T0, LEASE), 'a', T0 + 1000);
    assert.equal(activeFrom(renewed(gone, 'b', T0 + 1500, LEASE), 'b'), T0 + 1500 + HANDOVER_MS);
  });

  it('after a member died without leaving (its lease still running): a lease and a handover later', () => {
    const crashed = renewed([], 'a', T0, LEASE);
    assert.equal(activeFrom(renewed(crashed, 'b', T0 + 5000, LEASE), 'b'), T0 + 5000 + LEASE + HANDOVER_MS);
  });
});
