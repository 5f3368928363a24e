import type { Deal } from './deal';

/** What a visibility decision needs of a deal: who owns it and who is on its team. */
export type VisibleDeal = Pick<Deal, 'owner' | 'team'>;

/**
 * What the app layer knows about the viewer, read from the store before deciding: whether they are an admin
 * (config ADMINS), and whose manager they are (people's `managerId`). Identity comes from the activity.
 */
export interface Viewer {
  id: string;
  admin: boolean;
  /** The people whose manager the viewer is (their AAD object ids). */
  reports: ReadonlySet<string>;
}

/**
 * Who may see a deal outside their own chat with DealDesk (compose-box search, link unfurling): its owner,
 * a member of its deal team, the owner's manager, and admins. Nobody else sees any of its fields.
 */
export function maySeeDeal(viewer: Viewer, deal: VisibleDeal): boolean {
  if (viewer.admin) return true;
  if (deal.owner.id === viewer.id) return true;
  if ((deal.team ?? []).some((m) => m.person.id === viewer.id)) return true;
  return viewer.reports.has(deal.owner.id);
}
