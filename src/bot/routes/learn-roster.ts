import type { TurnContext } from 'botbuilder';
import { rememberPersonUseCase } from '../../app/remember-person';
import { syncTeamRoster } from '../../app/sync-team-roster';
import type { Turn } from '../../chat/reply';
import type { ChatDeps } from '../../chat/chat-deps';
import { fetchTeamRoster, teamIdOf } from '../team-roster';

/**
 * In a team, everyone on its roster becomes someone DealDesk can add to a deal team and reach 1:1; read again when
 * members join or leave, so someone who left the team (and never met DealDesk themselves) is no longer offered
 * (domain/team-membership.ts). Deals that name them keep them.
 */
export function learnRoster(deps: ChatDeps): (context: TurnContext, turn: Turn) => Promise<void> {
  const rememberPerson = rememberPersonUseCase(deps);
  return async (context, turn) => {
    if (turn.place.type !== 'channel') return;
    const roster = (await fetchTeamRoster(context)).filter((m) => m.aadObjectId);
    for (const member of roster) {
      await rememberPerson({
        tenantId: turn.actor.tenantId,
        id: member.aadObjectId,
        name: member.name || member.aadObjectId,
        email: member.email ?? member.userPrincipalName,
        userId: member.userId,
        serviceUrl: context.activity.serviceUrl,
      });
    }
    const teamId = teamIdOf(context) ?? turn.place.conversationId;
    await syncTeamRoster(deps, turn.actor.tenantId, teamId, roster.map((m) => m.aadObjectId));
  };
}
