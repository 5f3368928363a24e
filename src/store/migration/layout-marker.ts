import type { Container } from '@azure/cosmos';
import type { LegacyContainerId } from '../containers';
import { statusOf } from '../cosmos-errors';

/**
 * The one document that coordinates the move to the partitioned layout across instances: kept in `settings` (the
 * container that does not move) under a tenant id no real tenant has. Every change to it is a conditional write on
 * its ETag, so of two instances writing at once one wins and the other reads again.
 */
export const MARKER_TENANT = '~dealdesk';
export const MARKER_ID = 'layout-v2';

export type ContainerProgress = {
  state: 'pending' | 'copying' | 'done';
  copied: number;
  /** Already in the new container (created by a run that stopped before it could checkpoint). */
  skipped: number;
  /** Where the next page of the legacy container starts (a query continuation token); absent: from the start. */
  continuation?: string;
};

export interface LayoutMarker {
  id: typeof MARKER_ID;
  tenantId: typeof MARKER_TENANT;
  type: 'layoutMigration';
  state: 'moving' | 'done';
  containers: Partial<Record<LegacyContainerId, ContainerProgress>>;
  /** Who moves data now, and until when (ISO) its lease holds unless renewed. */
  lease?: { owner: string; until: string };
  startedAt: string;
  doneAt?: string;
  _etag?: string;
}

/** The lease changed hands (another instance took it after ours expired): stop copying, and wait as the others do. */
export class LeaseLost extends Error {
  constructor() {
    super('another instance took over moving the data');
  }
}

export const readMarker = async (settings: Container): Promise<LayoutMarker | undefined> =>
  (await settings.item(MARKER_ID, MARKER_TENANT).read<LayoutMarker>()).resource;

/** Creates the marker; undefined when another instance created it first (409). */
export async function createMarker(settings: Container, marker: LayoutMarker): Promise<LayoutMarker | undefined> {
  try {
    return (await settings.items.create<LayoutMarker>(marker)).resource;
  } catch (err) {
    if (statusOf(err) === 409) return undefined;
    throw err;
  }
}

/** Replaces the marker if nobody wrote it since `expected` was read; undefined when somebody did (412) or removed it (404). */
export async function replaceMarker(settings: Container, expected: LayoutMarker, next: LayoutMarker): Promise<LayoutMarker | undefined> {
  const { _etag, ...body } = next;
  try {
    const { resource } = await settings.item(MARKER_ID, MARKER_TENANT).replace<LayoutMarker>(body as LayoutMarker, { accessCondition: { type: 'IfMatch', condition: expected._etag! } });
    return resource;
  } catch (err) {
    if (statusOf(err) === 412 || statusOf(err) === 404) return undefined;
    throw err;
  }
}
