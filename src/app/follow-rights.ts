import type { Deal } from '../domain/deal';
import { type Follower, mayFollowDeal } from '../domain/follow-rule';
import type { Follow } from '../ports/follow-repository.port';
import { type AdminDeps, isAdminId } from './authorise';

/** The deal owner's manager (people's managerId), read at most once however often it is asked for. */
type OwnersManager = () => Promise<string | undefined>;

const ownersManagerOf = (deps: AdminDeps, deal: Deal): OwnersManager => {
  let read: Promise<string | undefined> | undefined;
  return () => (read ??= deps.store.people.get(deal.tenantId, deal.owner.id).then((owner) => owner?.managerId));
};

/**
 * The person behind a follow as the follow rule sees them (domain/follow-rule.ts): admin or not, and whether
 * they are the owner's manager. Reads only what the deal does not settle (its owner and team need no read).
 */
export async function followerOf(deps: AdminDeps, deal: Deal, personId: string, ownersManager = ownersManagerOf(deps, deal)): Promise<Follower> {
  const named = { id: personId, admin: false, managesOwner: false };
  if (mayFollowDeal(named, deal)) return named;
  return { ...named, managesOwner: (await ownersManager()) === personId, admin: await isAdminId(deps, deal.tenantId, personId) };
}

/**
 * Whether a follow may deliver this deal's alerts now: its recorded follower could follow the deal today
 * (they may have left its team since, and an account follow covers every deal of the account). A follow
 * with no follower recorded, made before DealDesk recorded one, delivers nothing until someone follows again.
 * Each follower is decided once for the deal at hand.
 */
export function followGate(deps: AdminDeps, deal: Deal): (follow: Follow) => Promise<boolean> {
  const ownersManager = ownersManagerOf(deps, deal);
  const decided = new Map<string, Promise<boolean>>();
  return (follow) => {
    const id = follow.followedBy?.id;
    if (!id) return Promise.resolve(false);
    if (!decided.has(id)) decided.set(id, followerOf(deps, deal, id, ownersManager).then((f) => mayFollowDeal(f, deal)));
    return decided.get(id)!;
  };
}
