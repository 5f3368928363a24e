import assert from 'node:assert/strict';
import { backoffMs, outcomeOf, type AttemptOutcome } from '../../src/notify/retry-policy';
import { SendError } from '../../src/ports/messenger.port';

const config = { maxAttempts: 5, baseBackoffMs: 1000, maxBackoffMs: 60_000 };
const NOW = Date.parse('2027-03-01T09:00:00.000Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();
const half = () => 0.5;

const networkError = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

describe('retry policy (outcomeOf)', () => {
  const cases: Array<[string, unknown, number, AttemptOutcome]> = [
    ['429 with Retry-After: throttled until then', new SendError(429, 'TooManyRequests', 'slow down', 7000), 1,
      { state: 'throttled', nextAttemptAt: at(7000), lastError: { status: 429, code: 'TooManyRequests', message: 'slow down' } }],
    ['429 with Retry-After 0: throttled, at once', new SendError(429, undefined, 'slow down', 0), 2,
      { state: 'throttled', nextAttemptAt: at(0), lastError: { status: 429, message: 'slow down' } }],
    ['429 without Retry-After: throttled, jittered backoff (attempt 3: half of 4 s)', new SendError(429, undefined, 'slow down'), 3,
      { state: 'throttled', nextAttemptAt: at(2000), lastError: { status: 429, message: 'slow down' } }],
    ['412: retrying with backoff', new SendError(412, 'PreconditionFailed', 'precondition'), 1,
      { state: 'retrying', nextAttemptAt: at(500), lastError: { status: 412, code: 'PreconditionFailed', message: 'precondition' } }],
    ['500: retrying', new SendError(500, undefined, 'boom'), 2, { state: 'retrying', nextAttemptAt: at(1000), lastError: { status: 500, message: 'boom' } }],
    ['502: retrying', new SendError(502, undefined, 'bad gateway'), 1, { state: 'retrying', nextAttemptAt: at(500), lastError: { status: 502, message: 'bad gateway' } }],
    ['503: retrying', new SendError(503, undefined, 'unavailable'), 4, { state: 'retrying', nextAttemptAt: at(4000), lastError: { status: 503, message: 'unavailable' } }],
    ['504: retrying', new SendError(504, undefined, 'timeout'), 1, { state: 'retrying', nextAttemptAt: at(500), lastError: { status: 504, message: 'timeout' } }],
    ['a network error (no status): retrying', networkError, 1, { state: 'retrying', nextAttemptAt: at(500), lastError: { code: 'ECONNRESET', message: 'socket hang up' } }],
    ['a SendError without status (network): retrying', new SendError(undefined, 'ETIMEDOUT', 'timed out'), 1,
      { state: 'retrying', nextAttemptAt: at(500), lastError: { code: 'ETIMEDOUT', message: 'timed out' } }],
    ['503 at the last attempt: failed', new SendError(503, undefined, 'unavailable'), 5,
      { state: 'failed', lastError: { status: 503, message: 'unavailable (gave up after 5 attempts)' } }],
    ['429 at the last attempt: failed', new SendError(429, undefined, 'slow down', 1000), 5,
      { state: 'failed', lastError: { status: 429, message: 'slow down (gave up after 5 attempts)' } }],
    ['403 ConversationBlockedByUser: blocked, and the conversation is marked blocked', new SendError(403, 'ConversationBlockedByUser', 'blocked'), 1,
      { state: 'blocked', conversation: { blocked: true }, lastError: { status: 403, code: 'ConversationBlockedByUser', message: 'blocked' } }],
    ['403 BotNotInConversationRoster: notInstalled, and the conversation is marked uninstalled', new SendError(403, 'BotNotInConversationRoster', 'gone'), 1,
      { state: 'notInstalled', conversation: { installed: false }, lastError: { status: 403, code: 'BotNotInConversationRoster', message: 'gone' } }],
    ['404 ConversationNotFound: notInstalled', new SendError(404, 'ConversationNotFound', 'no such conversation'), 1,
      { state: 'notInstalled', conversation: { installed: false }, lastError: { status: 404, code: 'ConversationNotFound', message: 'no such conversation' } }],
    ['403 with subCode MessageWritesBlocked: blocked', new SendError(403, 'Forbidden', 'writes blocked', undefined, 'MessageWritesBlocked'), 1,
      { state: 'blocked', conversation: { blocked: true }, lastError: { status: 403, code: 'Forbidden', message: 'writes blocked (MessageWritesBlocked)' } }],
    ['403 BotDisabledByAdmin: failed, final', new SendError(403, 'BotDisabledByAdmin', 'disabled'), 1,
      { state: 'failed', lastError: { status: 403, code: 'BotDisabledByAdmin', message: 'disabled' } }],
    ['400: failed, final', new SendError(400, 'BadArgument', 'bad card'), 1, { state: 'failed', lastError: { status: 400, code: 'BadArgument', message: 'bad card' } }],
    ['401: failed, final', new SendError(401, undefined, 'unauthorized'), 1, { state: 'failed', lastError: { status: 401, message: 'unauthorized' } }],
    ['413 MessageSizeTooBig: failed, final', new SendError(413, 'MessageSizeTooBig', 'too big'), 1,
      { state: 'failed', lastError: { status: 413, code: 'MessageSizeTooBig', message: 'too big' } }],
  ];

  for (const [name, error, attempt, expected] of cases) {
    it(name, () => assert.deepEqual(outcomeOf(error, attempt, config, NOW, half), expected));
  }

  it('something thrown that is not an Error still lands on the record', () => {
    assert.deepEqual(outcomeOf('weird', 1, config, NOW, half), { state: 'retrying', nextAttemptAt: at(500), lastError: { message: 'weird' } });
  });
});

describe('backoff (full jitter)', () => {
  it('doubles per attempt from the base and is capped', () => {
    const almostOne = () => 0.999999;
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffMs(attempt, config, almostOne)), [999, 1999, 3999, 7999, 15_999, 31_999, 59_999, 59_999]);
  });

  it('draws uniformly from 0 up to the ceiling', () => {
    assert.equal(backoffMs(3, config, () => 0), 0);
    assert.equal(backoffMs(3, config, () => 0.25), 1000);
  });
});
