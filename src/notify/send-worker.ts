import type { Clock } from '../ports/clock.port';
import type { ConversationRepository } from '../ports/conversation-repository.port';
import { ConcurrentUpdateError } from '../ports/deal-repository.port';
import type { OutgoingMessageRepository, StoredOutgoingMessage } from '../ports/outgoing-message-repository.port';
import type { Logger } from '../ports/logger.port';
import type { Messenger } from '../ports/messenger.port';
import type { PeopleRepository } from '../ports/people-repository.port';
import { type OutgoingMessage, dealIdOfMessage, type OutgoingMessageState, FINAL_STATES, isCardMessage, isNoticeMessage } from '../domain/outgoing-message';
import { outcomeAfter } from './attempt-outcome';
import { recordDelivery } from '../metrics/metrics';
import { type AppNotInstalled, createTargets, postedCardOf } from './send-target';
import type { Directory } from '../ports/directory.port';
import type { NotifyConfig } from './notify-config';
import { RateLimiter } from './rate-limiter';
import { type SendBudget, WHOLE_BUDGET } from './shared-budget';
import type { AttemptOutcome } from './retry-policy';
import { type Attributes, type Span, tracing } from '../telemetry/tracing';

export interface SendWorkerDeps {
  deliveries: OutgoingMessageRepository;
  conversations: ConversationRepository;
  people: PeopleRepository;
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
  config: NotifyConfig;
  /** The card to send, built when it is sent; throws UnsendableError when there is none to send, ever. */
  render: (delivery: OutgoingMessage) => Promise<object>;
  /** Entra ID (GRAPH=on), and what to do when DealDesk may not install itself for someone (send-target.ts). */
  directory?: Directory;
  appNotInstalled?: AppNotInstalled;
  random?: () => number;
  /** The tenants' send budgets shared with other instances; default: this instance alone, the whole budget. */
  budget?: SendBudget;
}

export interface SendWorker {
  /** Claims the due deliveries and sends them; resolves with how many reached a final state this round. */
  runOnce(): Promise<number>;
  /** On shutdown: stops sending, waits for the round, and hands this instance's leased deliveries back at once. */
  releaseLeases(): Promise<void>;
}

/** What one attempt came to (undefined: another instance has it). */
type Attempted = { finished: boolean; holdUntil?: number } | undefined;

/**
 * Sends due deliveries, each claimed by exactly one instance with a conditional write and a lease.
 *
 * Crash safety: a delivery is marked 'sending' under a lease BEFORE its send, and 'sent' is recorded right
 * after the send returns, with nothing in between. If the process dies after the connector accepted the card
 * but before 'sent' was written, another instance sends it again once the lease has expired: that
 * at-least-once window cannot be closed without an idempotent receiver (Teams has none), only kept small.
 * While a lease holds, no other instance sends the delivery: a send starts in the first half of its lease
 * or the claim is released, and every write after the claim is conditional on the claim's etag.
 *
 * An approval card's update (operation 'update') replaces the message its deal's post delivery sent, in the
 * post's conversation; until that post is sent it waits, without a claim and without counting an attempt.
 */
export function createSendWorker(deps: SendWorkerDeps): SendWorker {
  const { deliveries, messenger, clock, logger, config, render } = deps;
  const { targetOf } = createTargets(deps);
  const random = deps.random ?? Math.random;
  const owner = config.instanceId;
  const limiter = new RateLimiter(config);
  const budget = deps.budget ?? WHOLE_BUDGET;
  const rounds = new Set<Promise<number>>();
  const sleepers = new Set<() => void>(); // woken early on shutdown
  let stopping = false;

  const nowMs = () => clock.now().getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const wake = () => { clearTimeout(timer); sleepers.delete(wake); resolve(); };
    const timer = setTimeout(wake, ms);
    sleepers.add(wake);
  });

  /** A conditional write; undefined (logged, unless a lost race is expected) when the delivery changed since `etag` or the store failed. */
  async function write(delivery: OutgoingMessage, etag: string, what: string, raceExpected = false): Promise<StoredOutgoingMessage | undefined> {
    try {
      return await deliveries.replace(delivery, etag);
    } catch (err) {
      if (!(err instanceof ConcurrentUpdateError)) logger.error({ err, deliveryId: delivery.id, state: delivery.state }, `delivery ${what}: could not be recorded`);
      else if (!raceExpected) logger.warn({ deliveryId: delivery.id, owner }, `delivery ${what}: changed meanwhile (lease expired and taken over?)`);
      return undefined;
    }
  }

  /**
   * Waits for the rate limiter while the lease allows; undefined once a send slot is reserved, else when it may go.
   * The conversation handed to another instance meanwhile (one joined): at once, for that one.
   */
  async function turn(tenantId: string, recipient: string, conversationId: string, startBy: number): Promise<number | undefined> {
    for (;;) {
      const now = nowMs();
      if (now > startBy || !budget.owns(tenantId, recipient, now)) return now;
      const waitMs = limiter.reserve(tenantId, conversationId, now, budget.sharers(tenantId, now));
      if (waitMs === 0) return undefined;
      if (stopping || now + waitMs > startBy) return now + waitMs;
      await sleep(waitMs);
    }
  }

  /** Back to where it was, without the lease and without counting an attempt, due again at `at`. */
  async function release(before: OutgoingMessage, etag: string, at: number, what: string, raceExpected = false): Promise<void> {
    const { lease: _lease, ...rest } = before;
    const state: OutgoingMessageState = rest.state === 'sending' ? 'retrying' : rest.state;
    await write({ ...rest, state, nextAttemptAt: iso(at), updatedAt: iso(nowMs()) } as OutgoingMessage, etag, what, raceExpected);
  }

  async function attempt(stored: StoredOutgoingMessage, span: Span): Promise<Attempted> {
    const update = isNoticeMessage(stored.delivery) && stored.delivery.operation === 'update' ? stored.delivery : undefined;
    const posted = update && (await postedCardOf(deliveries, update, nowMs(), config.pollMs).catch((err: unknown) => {
      logger.error({ err, deliveryId: update.id }, 'could not read the approval card an update replaces');
      return undefined;
    }));
    if (update && !posted) return undefined; // the store failed: the next round tries again
    if (posted && 'waitUntil' in posted) {
      // The card is not posted yet: try again after it; the rest of the conversation does not wait.
      span.set({ 'dealdesk.delivery.state': 'waiting for the post' });
      await release(stored.delivery, stored.etag, posted.waitUntil, 'wait for the post', true);
      return { finished: false };
    }
    const claimedAt = nowMs();
    const lease = { owner, until: iso(claimedAt + config.leaseMs) };
    const claim = { ...stored.delivery, state: 'sending', attempts: stored.delivery.attempts + 1, lease, updatedAt: iso(claimedAt) } as OutgoingMessage;
    const claimed = await write(claim, stored.etag, 'claim', true); // lost to another instance: skip it
    if (!claimed) {
      span.set({ 'dealdesk.delivery.state': 'claimed by another instance' });
      return undefined;
    }
    const { delivery } = claimed;
    let conversationId: string | undefined;
    let activityId: string | undefined;
    try {
      if (posted && 'refused' in posted) return await finish(claimed, posted.refused, span);
      // An update goes to the conversation the card was posted in.
      const target = await targetOf(delivery.tenantId, posted ? posted.recipient : delivery.recipient, dealIdOfMessage(delivery));
      if ('refused' in target) return await finish(claimed, target.refused, span);
      conversationId = target.conversationId;
      const card = await render(delivery);
      const mayGoAt = await turn(delivery.tenantId, recipientOf(delivery), conversationId, claimedAt + config.leaseMs / 2);
      if (mayGoAt !== undefined) {
        span.set({ 'dealdesk.delivery.state': 'waiting for the rate limit' });
        await release(stored.delivery, claimed.etag, mayGoAt, 'release');
        return { finished: false, holdUntil: mayGoAt };
      }
      const summary = summaryOf(card);
      if (posted) {
        await messenger.updateCard(target.reference, posted.activityId, card, summary);
        activityId = posted.activityId;
      } else {
        ({ activityId } = await messenger.sendCard(target.reference, card, summary));
      }
    } catch (error) {
      const outcome = outcomeAfter(error, { attempt: delivery.attempts, isUpdate: update !== undefined, config, nowMs: nowMs(), random });
      if (conversationId && outcome.state === 'throttled') limiter.penalise(conversationId, Date.parse(outcome.nextAttemptAt!));
      if (conversationId && outcome.conversation) {
        await deps.conversations.setStatus(delivery.tenantId, conversationId, outcome.conversation)
          .catch((err: unknown) => logger.error({ err, conversationId, status: outcome.conversation }, 'could not mark the conversation'));
      }
      return await finish(claimed, outcome, span, error);
    }
    // Sent: record it at once (see the crash-safety note above).
    const { lease: _lease, lastError: _error, ...sent } = delivery;
    const sentAt = iso(nowMs());
    const recorded = await write({ ...sent, state: 'sent', sentAt, sentBy: config.instanceId, ...(activityId ? { activityId } : {}), updatedAt: sentAt } as OutgoingMessage, claimed.etag, 'sent');
    if (!recorded) logger.error({ deliveryId: delivery.id }, 'delivery was sent but not recorded: it may be sent again after its lease');
    recordDelivery('sent', delivery.createdAt, nowMs());
    span.set({ 'dealdesk.delivery.state': 'sent' });
    return { finished: recorded !== undefined };
  }

  /** Records an attempt's outcome; a failed or retried send (not a throttle, a block or an uninstall) fails its span. */
  async function finish({ delivery, etag }: StoredOutgoingMessage, outcome: AttemptOutcome, span: Span, error?: unknown): Promise<Attempted> {
    span.set({ 'dealdesk.delivery.state': outcome.state, 'dealdesk.delivery.error': outcome.lastError.code ?? outcome.lastError.status });
    if (outcome.state === 'failed' || outcome.state === 'retrying') span.fail(error);
    const { lease: _lease, ...rest } = delivery;
    const next = { ...rest, state: outcome.state, lastError: outcome.lastError, nextAttemptAt: outcome.nextAttemptAt ?? rest.nextAttemptAt, updatedAt: iso(nowMs()) } as OutgoingMessage;
    const recorded = await write(next, etag, outcome.state);
    const final = FINAL_STATES.includes(outcome.state);
    // A user who blocked DealDesk, or a chat it was removed from, is counted apart: no fault of DealDesk's to alert on.
    if (outcome.state === 'failed' || outcome.state === 'blocked' || outcome.state === 'notInstalled' || outcome.state === 'throttled') recordDelivery(outcome.state);
    logger[final ? 'warn' : 'info']({ deliveryId: delivery.id, state: outcome.state, attempts: delivery.attempts, lastError: outcome.lastError }, `delivery ${outcome.state}`);
    return { finished: final && recorded !== undefined, ...(final ? {} : { holdUntil: Date.parse(next.nextAttemptAt) }) };
  }

  /** One conversation's deliveries, oldest first; after a hold-up the rest wait for the held one, keeping their order. */
  async function inOrder(group: StoredOutgoingMessage[]): Promise<number> {
    let finished = 0;
    for (let i = 0; i < group.length && !stopping; i++) {
      const stored = group[i]!;
      if (!budget.owns(stored.delivery.tenantId, recipientOf(stored.delivery), nowMs())) break; // handed over: its new owner goes on
      // Each attempt is an operation of its own: the claim, the Bot Connector call and the record of its outcome together.
      const attempted = await tracing.run(`deliver ${kindOf(stored.delivery)}`, 'consumer', deliveryAttributes(stored.delivery), (span) => attempt(stored, span));
      if (!attempted) break; // another instance is working through this conversation
      if (attempted.finished) finished++;
      if (attempted.holdUntil === undefined) continue;
      for (const { delivery, etag } of group.slice(i + 1)) {
        if (Date.parse(delivery.nextAttemptAt) >= attempted.holdUntil) continue;
        await write({ ...delivery, nextAttemptAt: iso(attempted.holdUntil), updatedAt: iso(nowMs()) }, etag, 'hold', true);
      }
      break;
    }
    return finished;
  }

  /** `concurrency` runners, each taking the next conversation: at most that many sends in flight. */
  async function round(): Promise<number> {
    const due = await deliveries.findClaimable(iso(nowMs()), config.batchSize);
    for (const tenantId of new Set(due.map((d) => d.delivery.tenantId))) budget.want(tenantId);
    // Only the conversations this instance owns: each has one sender, so its per-conversation limits hold.
    const now = nowMs();
    const groups = byConversation(due).filter(([first]) => budget.owns(first!.delivery.tenantId, recipientOf(first!.delivery), now));
    const finished: number[] = [];
    let next = 0;
    const runner = async () => {
      while (next < groups.length) finished.push(await inOrder(groups[next++]!));
    };
    await Promise.all(Array.from({ length: Math.min(config.concurrency, groups.length) }, runner));
    return finished.reduce((sum, n) => sum + n, 0);
  }

  return {
    runOnce() {
      if (stopping) return Promise.resolve(0);
      const running = round();
      rounds.add(running);
      const forget = () => rounds.delete(running);
      running.then(forget, forget);
      return running;
    },
    async releaseLeases() {
      stopping = true;
      for (const wake of [...sleepers]) wake(); // a waiting send sees `stopping` and releases its claim
      await Promise.allSettled([...rounds]);
      for (const { delivery: { lease, ...rest }, etag } of await deliveries.listLeasedBy(owner)) {
        if (rest.state !== 'sending' || lease?.owner !== owner) continue;
        const now = iso(nowMs());
        await write({ ...rest, state: 'retrying', nextAttemptAt: now, updatedAt: now } as OutgoingMessage, etag, 'lease release');
      }
    },
  };
}

/**
 * The line Teams shows for a proactive card in its notification and chat list: what the card speaks (every card
 * has `speak`, in its recipient's language, see cards/spoken-text.ts). None for a card queued before cards spoke.
 */
export const summaryOf = (card: object): string | undefined => {
  const speak = (card as { speak?: unknown }).speak;
  return typeof speak === 'string' && speak.trim() !== '' ? speak : undefined;
};

/** Whom a delivery goes to, within its tenant: what the shared budget assigns to one instance. */
const recipientOf = (d: OutgoingMessage): string => `${d.recipient.kind}|${d.recipient.key}`;

/** Due deliveries grouped by recipient (one conversation each), oldest nextAttemptAt first, in order within each. */
function byConversation(due: StoredOutgoingMessage[]): StoredOutgoingMessage[][] {
  const key = (d: OutgoingMessage) => `${d.tenantId}|${recipientOf(d)}`;
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const order = (a: OutgoingMessage, b: OutgoingMessage) => cmp(a.nextAttemptAt, b.nextAttemptAt) || cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id);
  const groups = new Map<string, StoredOutgoingMessage[]>();
  for (const stored of [...due].sort((a, b) => order(a.delivery, b.delivery))) {
    const group = groups.get(key(stored.delivery)) ?? [];
    group.push(stored);
    groups.set(key(stored.delivery), group);
  }
  return [...groups.values()];
}

const kindOf = (delivery: OutgoingMessage): 'alert' | 'notice' | 'card' => (isNoticeMessage(delivery) ? 'notice' : isCardMessage(delivery) ? 'card' : 'alert');

/** What a delivery's span says about it: its kind, its recipient's kind and which attempt; never names or text. */
const deliveryAttributes = (delivery: OutgoingMessage): Attributes => ({
  'dealdesk.delivery.kind': kindOf(delivery),
  'dealdesk.delivery.recipient': delivery.recipient.kind,
  'dealdesk.delivery.attempt': delivery.attempts + 1,
  ...(isNoticeMessage(delivery) ? { 'dealdesk.delivery.operation': delivery.operation ?? 'post' } : {}),
});
