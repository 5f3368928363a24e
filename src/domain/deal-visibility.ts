import type { Deal } from './deal';

/**
 * Who may read a deal (DEAL_VISIBILITY): `tenant` (the default), everyone in the tenant; `team`, only the
 * people below. Every read applies this one rule: the deal card and its refresh, `team`, `alerts`,
 * `approval`, `plan`, `csat`, the account view, digests, compose-box search, link unfurling, title matching
 * and the choice of matches. Changing a deal has rules of its own (only its owner, and so on).
 */
export type DealVisibility = 'tenant' | 'team';
export const DEAL_VISIBILITIES = ['tenant', 'team'] as const satisfies readonly DealVisibility[];

/** How far up a manager chain is followed (a chain longer than this, or one that loops, stops there). */
export const MANAGER_CHAIN_MAX = 50;

/** What a visibility decision needs of a deal: who owns it, its team, and its approval round and trail. */
export type VisibleDeal = Pick<Deal, 'owner' | 'team'> & Partial<Pick<Deal, 'approval' | 'approvalTrail'>>;

/**
 * What the app layer knows about the viewer, read from the store before deciding: whether they are an admin
 * (config ADMINS), and whose manager chain they are in. Identity comes from the activity, never from card data.
 */
export interface Viewer {
  id: string;
  admin: boolean;
  /** The people the viewer manages, directly or through others (their AAD object ids); may hold only the deal's owner. */
  manages: ReadonlySet<string>;
}

/**
 * Everyone the deal itself names (AAD object ids): its owner, its deal team, the approvers and escalation
 * contacts of every level of its current approval round, and whoever decided in any round (the trail).
 */
export function dealPeopleIds(deal: VisibleDeal): string[] {
  const ids = [deal.owner.id, ...(deal.team ?? []).map((m) => m.person.id)];
  for (const level of deal.approval?.levels ?? []) ids.push(...level.approvers.map((p) => p.id), ...level.escalateTo.map((p) => p.id));
  for (const entry of deal.approvalTrail ?? []) if (entry.event === 'decided') ids.push(entry.by.id);
  return [...new Set(ids)];
}

/** Under `tenant`, everyone may read every deal: nothing about the viewer needs to be known. */
export const everyoneMaySee = (visibility: DealVisibility): boolean => visibility === 'tenant';

/**
 * The one visibility rule. Under `team`: the owner, a member of the deal team, anyone in the owner's manager
 * chain (the manager, their manager, and so on), the deal's approvers (see dealPeopleIds) and admins.
 */
export function maySeeDeal(visibility: DealVisibility, viewer: Viewer, deal: VisibleDeal): boolean {
  if (everyoneMaySee(visibility) || viewer.admin) return true;
  return viewer.manages.has(deal.owner.id) || dealPeopleIds(deal).includes(viewer.id);
}
