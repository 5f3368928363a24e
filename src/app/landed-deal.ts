import { isDeepStrictEqual } from 'node:util';
import type { Deal } from '../domain/deal';
import { archiveOldest } from '../domain/deal-archive';
import type { AppDeps } from './context';

/** A deal as the store gives it back: what JSON keeps (undefined fields dropped). */
const asStored = (deal: Deal): unknown => JSON.parse(JSON.stringify(deal));
/** A deal as the store keeps it once written: its oldest history and audit entries moved to the archive. */
const asKept = (deal: Deal): unknown => asStored(archiveOldest(deal).deal);

/**
 * After a write failed without a clear answer (a timeout, a 503, a reset connection: the store may or may not have
 * applied it), whether the deal now stored is exactly the one this write sent. Another writer's change cannot match
 * (it would differ in content, history or at least its time), so a match means the write landed and must be
 * reported as done, not as "nothing was changed" (a user who then retries would create a second deal, or apply the
 * change twice). Undefined when it did not land, or when the store cannot be read either.
 */
export async function landedDeal(deps: AppDeps, written: Deal): Promise<Deal | undefined> {
  // The store that just failed may fail the read too: a few tries, a short pause between them.
  for (let attempt = 0; attempt < READ_BACK_TRIES; attempt++) {
    try {
      const stored = await deps.store.deals.get(written.tenantId, written.id);
      return stored && isDeepStrictEqual(asStored(stored.deal), asKept(written)) ? stored.deal : undefined;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
  return undefined;
}

const READ_BACK_TRIES = 3;
