import type { Container } from '@azure/cosmos';
import { statusOf } from '../cosmos-errors';
import type { ContainerId } from '../containers';
import { copyOf } from './legacy-item';
import type { ContainerProgress } from './layout-marker';

/** Items read per page (one checkpoint each), and creates in flight at once. */
export const PAGE_SIZE = 100;
const PARALLEL = 20;

/**
 * Copies a legacy container into its successor, a page at a time from `progress.continuation`; after each page
 * `checkpoint` records the progress (and renews the lease: it throws LeaseLost when the lease was taken over), and
 * before each batch of creates `fence` makes sure the lease still holds (a mover that stalled past it writes nothing). An item
 * already there (409: copied by a run that stopped before its checkpoint) is counted as skipped, never overwritten.
 */
export async function copyContainer(options: {
  from: Container;
  to: Container;
  successor: ContainerId;
  progress: ContainerProgress;
  nowSeconds: () => number;
  /** Before each batch of creates: resolves while the lease holds (renewing it when due); throws LeaseLost otherwise. */
  fence: () => Promise<void>;
  /** Aborted: no further page is read. */
  signal?: AbortSignal;
  checkpoint: (progress: ContainerProgress) => Promise<void>;
}): Promise<ContainerProgress> {
  const { from, to, successor } = options;
  let progress: ContainerProgress = { ...options.progress, state: 'copying' };
  for (;;) {
    options.signal?.throwIfAborted();
    const page = await from.items.query<Record<string, unknown>>('SELECT * FROM c', { maxItemCount: PAGE_SIZE, continuationToken: progress.continuation }).fetchNext();
    let copied = 0;
    let skipped = 0;
    const copies = page.resources.map((item) => copyOf(successor, item, options.nowSeconds())).filter((c) => c !== undefined);
    for (let i = 0; i < copies.length; i += PARALLEL) {
      await options.fence();
      const created = await Promise.all(copies.slice(i, i + PARALLEL).map((doc) => createOnce(to, doc)));
      copied += created.filter(Boolean).length;
      skipped += created.filter((c) => !c).length;
    }
    const more = Boolean(page.continuationToken) && page.resources.length > 0;
    progress = { state: more ? 'copying' : 'done', copied: progress.copied + copied, skipped: progress.skipped + skipped, ...(more ? { continuation: page.continuationToken } : {}) };
    await options.checkpoint(progress);
    if (!more) return progress;
  }
}

async function createOnce(container: Container, doc: Record<string, unknown>): Promise<boolean> {
  try {
    await container.items.create(doc);
    return true;
  } catch (err) {
    if (statusOf(err) === 409) return false;
    throw err;
  }
}
