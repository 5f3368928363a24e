import { CrmSendError } from '../../ports/crm-target.port';
import type { DataverseReader } from './record-lookups';
import { OPEN_OPPORTUNITIES, OPPORTUNITIES, OPPORTUNITY_SELECT } from './opportunity-mapping';
import type { OpportunityRecord } from './opportunity-record';

/** One page of opportunities (or of changes to them), and where the next one is. */
export interface OpportunityPage {
  records: OpportunityRecord[];
  nextLink?: string;
  deltaLink?: string;
}

/**
 * Where change tracking starts: every opportunity, as selected. Dataverse takes no `$filter` with change tracking,
 * and a filter would hide the very changes that matter most (an opportunity won or lost leaves "open"); the first
 * round pages through every opportunity once, and records whose deal is unknown and closed are skipped.
 */
export const TRACKING_START = `${OPPORTUNITIES}?$select=${OPPORTUNITY_SELECT}`;
/** Where the import starts: the open opportunities. */
export const IMPORT_START = `${OPPORTUNITIES}?$select=${OPPORTUNITY_SELECT}&$filter=${OPEN_OPPORTUNITIES}`;

const MAX_WAIT_MS = 5 * 60_000;

export interface PageReading {
  client: DataverseReader;
  pageSize: number;
  trackChanges: boolean;
  signal?: AbortSignal;
  /** Told before each wait a 429 asks for (the caller keeps its lease for that long). */
  beforeWait?: (ms: number) => Promise<void>;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });

/**
 * Reads one page at `link` (a path under the Web API or a next/delta link). A 429 (service protection limits) waits
 * the `Retry-After` it asks for (at most 5 minutes; without one, 5 s) and asks again, as often as it takes; every
 * other failure (401/403 after the client's fresh token, 5xx, the network) is thrown: the caller records it.
 */
export async function readPage(reading: PageReading, link: string): Promise<OpportunityPage> {
  const prefer = [`odata.maxpagesize=${reading.pageSize}`, ...(reading.trackChanges ? ['odata.track-changes'] : [])];
  for (;;) {
    try {
      const answer = await reading.client.request<Record<string, unknown>>('GET', link, { prefer, signal: reading.signal });
      if (answer.status !== 200 || !answer.body) throw new CrmSendError(`Dataverse answered GET ${OPPORTUNITIES} with ${answer.status}`, answer.status);
      const { value, '@odata.nextLink': nextLink, '@odata.deltaLink': deltaLink } = answer.body;
      return {
        records: Array.isArray(value) ? (value as OpportunityRecord[]) : [],
        ...(typeof nextLink === 'string' ? { nextLink } : {}),
        ...(typeof deltaLink === 'string' ? { deltaLink } : {}),
      };
    } catch (e) {
      if (!(e instanceof CrmSendError) || e.status !== 429) throw e;
      const waitMs = Math.min(e.retryAfterMs ?? 5_000, MAX_WAIT_MS);
      await reading.beforeWait?.(waitMs);
      await (reading.sleep ?? sleep)(waitMs, reading.signal);
    }
  }
}
