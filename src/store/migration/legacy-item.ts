import type { ContainerId } from '../containers';
import { withSearchKeys } from '../deal-document';
import { withPartitionFields } from '../partition-keys';

const SYSTEM = ['_rid', '_self', '_etag', '_attachments', '_ts'];

/**
 * The document to create in `successor` for an item of a legacy container: its system properties dropped and the
 * fields its new partition key needs stamped (partition-keys.ts); a deal also gets its search keys (deal-document.ts), which
 * no legacy deal has, so the compose-box search finds every moved deal. The copy's `_ts` is the time of the copy, and Cosmos DB
 * counts an item's `ttl` from `_ts`: so an item that expires (a finished delivery) gets the time it had left, not its
 * whole retention again, and one whose time ran out is not copied at all (undefined): Azure no longer returns it
 * either. `nowSeconds`: DealDesk's clock, in seconds.
 */
export function copyOf(successor: ContainerId, item: Record<string, unknown>, nowSeconds: number): Record<string, unknown> | undefined {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!SYSTEM.includes(key)) body[key] = value;
  const { ttl } = body;
  const ts = item._ts;
  if (typeof ttl === 'number' && ttl > 0 && typeof ts === 'number') {
    const left = ts + ttl - nowSeconds;
    if (left <= 0) return undefined;
    body.ttl = Math.min(ttl, left);
  }
  return withPartitionFields(successor, successor === 'deals-v2' ? withSearchKeys(body) : body);
}
