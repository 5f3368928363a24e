import type { Deal } from './deal';

/** What the follow rule needs of the person behind a follow, read by the app layer; identity from the activity. */
export interface Follower {
  id: string;
  admin: boolean;
  /** Whether they are the deal owner's manager (people's managerId). */
  managesOwner: boolean;
}

/**
 * Following a deal or an account into a channel exports its alerts to people DealDesk does not know, so only
 * those answerable for the deal may, whatever DEAL_VISIBILITY says: its owner, a member of its deal team, the
 * owner's manager, or an admin. It is checked when someone follows a deal, and again for every follow, deal or
 * account, each time an alert is fanned out: a follow delivers only while its follower could still follow the
 * deal, and a follow with no follower recorded (made before follows recorded one) delivers nothing.
 */
export function mayFollowDeal(follower: Follower | undefined, deal: Pick<Deal, 'owner' | 'team'>): boolean {
  if (!follower) return false;
  if (follower.admin || follower.managesOwner || deal.owner.id === follower.id) return true;
  return (deal.team ?? []).some((m) => m.person.id === follower.id);
}
