import assert from 'node:assert/strict';
import { isoDurationMs } from '../../src/domain/duration';
import { instantOf, isoWeekOf, isTimeZone, localDateOf, nextDaily, nextWeekly } from '../../src/domain/zoned-time';

const MONDAY = 1;

describe('zoned time: Monday 08:00 where the person is', () => {
  it('finds the next Monday 08:00 in Berlin (UTC+1 in winter)', () => {
    assert.equal(nextWeekly(new Date('2026-11-27T01:00:00Z'), 'Europe/Berlin', MONDAY, 8).toISOString(), '2026-11-30T07:00:00.000Z');
  });

  it('on a Monday before 08:00 it is today; at or after 08:00 it is next week', () => {
    assert.equal(nextWeekly(new Date('2026-11-30T06:59:00Z'), 'Europe/Berlin', MONDAY, 8).toISOString(), '2026-11-30T07:00:00.000Z');
    assert.equal(nextWeekly(new Date('2026-11-30T07:00:00Z'), 'Europe/Berlin', MONDAY, 8).toISOString(), '2026-12-07T07:00:00.000Z');
  });

  it('keeps 08:00 local across the US spring change of 2026 (Sunday 8 Mar): 13:00Z before it, 12:00Z after', () => {
    const before = nextWeekly(new Date('2026-02-27T12:00:00Z'), 'America/New_York', MONDAY, 8);
    assert.equal(before.toISOString(), '2026-03-02T13:00:00.000Z', 'EST (UTC-5)');
    assert.equal(nextWeekly(before, 'America/New_York', MONDAY, 8).toISOString(), '2026-03-09T12:00:00.000Z', 'EDT (UTC-4)');
  });

  it('keeps 08:00 local across the US spring change (Sunday 14 Mar 2027)', () => {
    const monday15 = nextWeekly(new Date('2027-03-09T12:00:00Z'), 'America/New_York', MONDAY, 8);
    assert.equal(monday15.toISOString(), '2027-03-15T12:00:00.000Z', 'EDT (UTC-4) from 14 Mar');
  });

  it('keeps 08:00 local across the autumn change (Berlin, Sunday 25 Oct 2026)', () => {
    assert.equal(nextWeekly(new Date('2026-10-20T12:00:00Z'), 'Europe/Berlin', MONDAY, 8).toISOString(), '2026-10-26T07:00:00.000Z', 'CET after the change');
    assert.equal(nextWeekly(new Date('2026-10-13T12:00:00Z'), 'Europe/Berlin', MONDAY, 8).toISOString(), '2026-10-19T06:00:00.000Z', 'CEST before it');
  });

  it('resolves an hour the spring change skips forward, and a repeated autumn hour to the earlier instant', () => {
    assert.equal(instantOf({ year: 2027, month: 3, day: 28 }, 2, 'Europe/Berlin').toISOString(), '2027-03-28T01:00:00.000Z');
    assert.equal(instantOf({ year: 2026, month: 10, day: 25 }, 2, 'Europe/Berlin').toISOString(), '2026-10-25T00:00:00.000Z');
  });

  it('zones without DST and with half-hour offsets', () => {
    assert.equal(nextDaily(new Date('2026-11-27T01:00:00Z'), 'Asia/Kolkata', 9).toISOString(), '2026-11-27T03:30:00.000Z');
    assert.equal(nextWeekly(new Date('2026-11-27T01:00:00Z'), 'Asia/Shanghai', MONDAY, 8).toISOString(), '2026-11-30T00:00:00.000Z');
  });

  it('names the local ISO week and date (the period a digest or nudge covers)', () => {
    assert.equal(isoWeekOf(new Date('2026-11-29T20:00:00Z'), 'UTC'), '2026-W48');
    assert.equal(isoWeekOf(new Date('2026-11-29T20:00:00Z'), 'Asia/Shanghai'), '2026-W49', 'already Monday in Shanghai');
    assert.equal(isoWeekOf(new Date('2027-01-01T12:00:00Z'), 'UTC'), '2026-W53');
    assert.equal(localDateOf(new Date('2026-11-29T20:00:00Z'), 'Asia/Shanghai'), '2026-11-30');
  });

  it('knows real zones from made-up ones', () => {
    assert.equal(isTimeZone('Europe/London'), true);
    assert.equal(isTimeZone('Mars/Olympus'), false);
  });
});

describe('ISO-8601 durations (the dev clock)', () => {
  it('reads weeks, days, hours, minutes and seconds', () => {
    assert.equal(isoDurationMs('P1D'), 86_400_000);
    assert.equal(isoDurationMs('PT2H'), 7_200_000);
    assert.equal(isoDurationMs('P1W'), 7 * 86_400_000);
    assert.equal(isoDurationMs('p2dt3h30m'), (2 * 24 + 3.5) * 3_600_000);
    assert.equal(isoDurationMs('PT0.5S'), 500);
  });

  it('refuses what is not one, and years or months (their length depends on the date)', () => {
    for (const bad of ['', 'P', 'PT', '1D', 'P1Y', 'P1M', 'P-1D', 'tomorrow', 'P1DT']) assert.equal(isoDurationMs(bad), undefined, bad);
  });
});
