import assert from 'node:assert/strict';
import { DEFAULT_NOTIFY_CONFIG } from '../../src/notify/notify-config';
import { RateLimiter } from '../../src/notify/rate-limiter';

const T0 = 1_000_000;
const teams = () => new RateLimiter(DEFAULT_NOTIFY_CONFIG);

/** Reserves `count` sends at `at`; the waits it was told. */
const burst = (limiter: RateLimiter, count: number, at: number, conversation = 'c1', tenant = 't1') =>
  Array.from({ length: count }, () => limiter.reserve(tenant, conversation, at));

describe('RateLimiter (Teams sliding windows over injected time)', () => {
  it('lets 7 sends to a conversation go within 1 s; the 8th waits until the first leaves the window', () => {
    const limiter = teams();
    assert.deepEqual(burst(limiter, 7, T0), [0, 0, 0, 0, 0, 0, 0]);
    assert.equal(limiter.reserve('t1', 'c1', T0 + 400), 600);
    assert.equal(limiter.reserve('t1', 'c1', T0 + 999), 1);
    assert.equal(limiter.reserve('t1', 'c1', T0 + 1000), 0);
  });

  it('a refused send is not recorded: asking again changes nothing', () => {
    const limiter = teams();
    burst(limiter, 7, T0);
    assert.deepEqual(burst(limiter, 5, T0 + 500), [500, 500, 500, 500, 500]);
    assert.equal(limiter.reserve('t1', 'c1', T0 + 1000), 0);
  });

  it('allows 8 per 2 s: the 9th waits until the first of the window is 2 s old', () => {
    const limiter = teams();
    burst(limiter, 7, T0);
    assert.equal(limiter.reserve('t1', 'c1', T0 + 1000), 0); // the 8th
    assert.equal(limiter.reserve('t1', 'c1', T0 + 1000), 1000); // 7/1s allows it, 8/2s does not
    assert.equal(limiter.reserve('t1', 'c1', T0 + 1500), 500);
    assert.equal(limiter.reserve('t1', 'c1', T0 + 2000), 0);
  });

  it('allows 60 per 30 s', () => {
    const limiter = teams();
    // 4 sends every 2 s stays within 7/1s and 8/2s: 60 sends take 15 rounds (0 … 28 s).
    for (let round = 0; round < 15; round++) assert.deepEqual(burst(limiter, 4, T0 + round * 2000), [0, 0, 0, 0]);
    assert.equal(limiter.reserve('t1', 'c1', T0 + 29_000), 1000); // the 61st: the first sends leave at 30 s
    assert.equal(limiter.reserve('t1', 'c1', T0 + 30_000), 0);
  });

  it('allows 1800 per hour in a conversation', () => {
    const limiter = new RateLimiter({ tenantLimits: [], conversationLimits: [{ windowMs: 3_600_000, max: 1800 }] });
    assert.ok(burst(limiter, 1800, T0).every((wait) => wait === 0));
    assert.equal(limiter.reserve('t1', 'c1', T0 + 60_000), 3_540_000);
  });

  it('allows 50 per second per tenant across 50 conversations; the 51st waits whatever its conversation', () => {
    const limiter = teams();
    for (let c = 0; c < 50; c++) assert.equal(limiter.reserve('t1', `c${c}`, T0 + c), 0);
    assert.equal(limiter.reserve('t1', 'c-new', T0 + 100), 900);
    assert.equal(limiter.reserve('t1', 'c-new', T0 + 1000), 0);
  });

  it('keeps tenants and conversations apart', () => {
    const limiter = teams();
    for (let c = 0; c < 50; c++) limiter.reserve('t1', `c${c}`, T0);
    assert.equal(limiter.reserve('t2', 'other', T0), 0, 'another tenant is not held back');
    burst(limiter, 7, T0, 'busy', 't3');
    assert.equal(limiter.reserve('t3', 'quiet', T0), 0, 'another conversation is not held back');
    assert.equal(limiter.reserve('t3', 'busy', T0), 1000);
  });

  it('penalise holds every send to the conversation until then (a 429 Retry-After)', () => {
    const limiter = teams();
    limiter.penalise('c1', T0 + 5000);
    assert.equal(limiter.reserve('t1', 'c1', T0), 5000);
    assert.equal(limiter.reserve('t1', 'c2', T0), 0, 'other conversations go on');
    limiter.penalise('c1', T0 + 1000); // a shorter penalty does not shorten the longer one
    assert.equal(limiter.reserve('t1', 'c1', T0 + 4000), 1000);
    assert.equal(limiter.reserve('t1', 'c1', T0 + 5000), 0);
  });

  it('penaliseTenant holds every conversation of the tenant', () => {
    const limiter = teams();
    limiter.penaliseTenant('t1', T0 + 2000);
    assert.equal(limiter.reserve('t1', 'c1', T0), 2000);
    assert.equal(limiter.reserve('t1', 'c2', T0 + 500), 1500);
    assert.equal(limiter.reserve('t2', 'c3', T0), 0);
  });

  it('keeps its memory bounded: idle conversations are forgotten after the largest window', () => {
    const limiter = new RateLimiter({ tenantLimits: [{ windowMs: 1000, max: 50 }], conversationLimits: [{ windowMs: 30_000, max: 60 }] });
    for (let c = 0; c < 1000; c++) limiter.reserve(`t${c % 10}`, `c${c}`, T0 + c * 10);
    assert.ok(limiter.size >= 1000);
    limiter.reserve('t1', 'late', T0 + 10_000 + 30_000);
    assert.equal(limiter.size, 2, 'only the key just used remains, for tenant and conversation');
  });

  it('limits come from configuration, not constants', () => {
    const limiter = new RateLimiter({ tenantLimits: [{ windowMs: 1000, max: 2 }], conversationLimits: [{ windowMs: 100, max: 1 }] });
    assert.deepEqual([limiter.reserve('t', 'a', T0), limiter.reserve('t', 'a', T0), limiter.reserve('t', 'b', T0), limiter.reserve('t', 'c', T0)], [0, 100, 0, 1000]);
  });
});
