import type { LevelState } from './approval';
import type { Deal } from './deal';
import type { Person } from './person';

/**
 * The level of the deal's open approval round that could never finish if `person` owned the deal, if any. An owner
 * decides on no approval of their own deal (APPROVAL.OWN_DEAL), so a level that has not decided yet and needs
 * them is stuck: an "all" level they approve and have not approved yet, or an "any" level where nobody else could
 * decide (the requester cannot either). An "any" level with another approver can still finish, without them.
 * The requester decides on nothing already: making them the owner blocks nothing that was not blocked before.
 */
export function levelOwnerWouldBlock(deal: Pick<Deal, 'approval'>, person: Pick<Person, 'id'>): LevelState | undefined {
  const round = deal.approval;
  if (round?.status !== 'pending' || round.requestedBy.id === person.id) return undefined;
  const others = (level: LevelState) => level.approvers.some((p) => p.id !== person.id && p.id !== round.requestedBy.id);
  return round.levels.find(
    (level) =>
      (level.status === 'active' || level.status === 'waiting') &&
      level.approvers.some((p) => p.id === person.id) &&
      !level.decisions.some((d) => d.by.id === person.id && d.decision === 'approved') &&
      (level.mode === 'all' || !others(level)),
  );
}
