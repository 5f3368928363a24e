import assert from 'node:assert/strict';
import { DEFAULT_NOTIFY_CONFIG } from '../../src/notify/notify-config';
import { RateLimiter } from '../../src/notify/rate-limiter';

const T0 = 1_000_000;
/** Teams's windows exactly (no margin, no spreading, no tenant hold). */
const teams = () => new RateLimiter({ tenantLimits: DEFAULT_NOTIFY_CONFIG.tenantLimits, conversationLimits: DEFAULT_NOTIFY_CONFIG.conversationLimits });
/** As DealDesk runs: Teams's windows with a margin, a tenant's sends spread, the tenant held after 429s from many conversations. */
const dealdesk = () => new RateLimiter(DEFAULT_NOTIFY_CONFIG);

/** A sender that sends as soon as the limiter lets it, `count` sends to different conversations: the grant times. */
function greedy(limiter: RateLimiter, count: number, from = T0, tenant = 't1'): number[] {
  const grants: number[] = [];
  let now = from;
  while (grants.length < count) {
    const wait = limiter.reserve(tenant, `c${grants.length}`, now);
    if (wait === 0) grants.push(now);
    else now += wait;
  }
  return grants;
}

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

  describe('as DealDesk runs it (margin, spreading, tenant hold)', () => {
    it('every window is 60 ms longer than Teams\'s: the 8th send to a conversation waits until 1,060 ms after the first', () => {
      const limiter = dealdesk();
      for (let i = 0; i < 7; i++) assert.equal(limiter.reserve('t1', 'c1', T0 + i * 100), 0);
      assert.equal(limiter.reserve('t1', 'c1', T0 + 1000), 60);
      assert.equal(limiter.reserve('t1', 'c1', T0 + 1060), 0);
    });

    it('a tenant\'s sends are spread: at most 5 per 100 ms, and 51 sends are 1,060 ms apart, so their arrivals fit Teams\'s 50/s', () => {
      const grants = greedy(dealdesk(), 200);
      assert.deepEqual(grants.slice(0, 12).map((t) => t - T0), [0, 0, 0, 0, 0, 100, 100, 100, 100, 100, 200, 200]);
      for (let i = 0; i + 5 < grants.length; i++) assert.ok(grants[i + 5]! - grants[i]! >= 100);
      for (let i = 0; i + 50 < grants.length; i++) assert.ok(grants[i + 50]! - grants[i]! >= 1060, `sends ${i} and ${i + 50} are ${grants[i + 50]! - grants[i]!} ms apart`);
      assert.equal(grants[150]! - grants[0]!, 3 * 1060, 'sustained: 50 per 1,060 ms, 47.2 a second');
    });

    it('without the margin, 51 sends could reach Teams within one second (what the margin is for)', () => {
      const grants = greedy(teams(), 60);
      assert.equal(grants[50]! - grants[0]!, 1000); // a grant → arrival delay of 1 ms more for the first than the 51st: 429
    });

    it('the margin and the spreading follow the configured rates', () => {
      const limiter = new RateLimiter({ tenantLimits: [{ windowMs: 1000, max: 10 }], conversationLimits: [], sendMarginMs: 20, tenantBurst: 2 });
      assert.deepEqual(greedy(limiter, 12).map((t) => t - T0), [0, 0, 200, 200, 400, 400, 600, 600, 800, 800, 1020, 1020]);
    });

    it('429s from 8 different conversations of a tenant within 1 s hold the whole tenant until the latest Retry-After', () => {
      const limiter = dealdesk();
      for (let c = 0; c < 7; c++) assert.equal(limiter.throttled('t1', `c${c}`, T0 + 1000 + c * 100, T0 + c * 10), false);
      assert.equal(limiter.reserve('t1', 'quiet', T0 + 100), 0, '7 conversations: not yet the tenant');
      assert.equal(limiter.reserve('t1', 'c0', T0 + 100), 900, 'each throttled conversation is held');
      assert.equal(limiter.throttled('t1', 'c7', T0 + 1200, T0 + 200), true);
      assert.equal(limiter.reserve('t1', 'another', T0 + 200), 1400, 'held until the latest Retry-After (c6: T0 + 1,600)');
      assert.equal(limiter.reserve('t2', 'elsewhere', T0 + 200), 0, 'other tenants go on');
      assert.equal(limiter.reserve('t1', 'another', T0 + 1600), 0);
    });

    it('does not hold the tenant for 429s from one conversation, for 429s more than 1 s apart, or again for 429s during a hold', () => {
      const limiter = dealdesk();
      for (let i = 0; i < 20; i++) assert.equal(limiter.throttled('t1', 'c1', T0 + i * 10 + 1000, T0 + i * 10), false, 'one conversation, many 429s');
      for (let c = 0; c < 20; c++) assert.equal(limiter.throttled('t1', `spread${c}`, T0 + 5000 + c * 200, T0 + 4000 + c * 200), false, '5 a second at most');
      const at = T0 + 20_000;
      for (let c = 0; c < 8; c++) limiter.throttled('t1', `burst${c}`, at + 1000, at);
      assert.equal(limiter.reserve('t1', 'x', at), 1000);
      for (let c = 0; c < 8; c++) assert.equal(limiter.throttled('t1', `late${c}`, at + 3000, at + 500), false, 'sent before the hold: no new hold');
      assert.equal(limiter.reserve('t1', 'x', at + 1000), 0, 'the hold ends as set');
    });

    it('without tenantHold configured, 429s never hold the tenant', () => {
      const limiter = teams();
      for (let c = 0; c < 50; c++) assert.equal(limiter.throttled('t1', `c${c}`, T0 + 1000, T0), false);
      assert.equal(limiter.reserve('t1', 'quiet', T0), 0);
    });

    it('forgets a tenant\'s 429s once they are older than the window', () => {
      const limiter = new RateLimiter({ ...DEFAULT_NOTIFY_CONFIG, conversationLimits: [] });
      for (let c = 0; c < 5; c++) limiter.throttled('t1', `c${c}`, T0 + 1000, T0);
      limiter.reserve('t1', 'c9', T0 + 100_000);
      assert.equal(limiter.size, 2, 'only the tenant and conversation just used');
    });
  });
});
