import type { Deal } from './deal';
import { DomainError } from './errors';

/**
 * How much the approval and follow-up messages waiting in a deal (`notices`) may weigh, as stored. The dispatcher
 * takes them out within a poll; only while delivery is stuck do they pile up, one change at a time, so a change
 * that would add more is refused once those waiting pass this (it is retried: a timer fires again, a person is
 * told to try again later). Waiting notices then weigh at most this plus one change's worth.
 */
export const NOTICES_WAITING_MAX_BYTES = 32 * 1024;

const bytesOf = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).length;

export function assertRoomForNotices(before: Deal, after: Deal): void {
  if (after.notices.length <= before.notices.length) return;
  if (bytesOf(before.notices) > NOTICES_WAITING_MAX_BYTES) throw new DomainError('DEAL.MESSAGES_WAITING', { id: before.id });
}
