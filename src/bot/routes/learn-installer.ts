import type { TurnContext } from 'botbuilder';
import { rememberPersonUseCase } from '../../app/remember-person';
import type { Turn } from '../../chat/reply';
import type { ChatDeps } from '../../chat/chat-deps';
import { fetchMember } from '../team-roster';

/**
 * Whoever installed DealDesk for themselves is known and reachable like someone who wrote to it. The activity names
 * them by id only: their name and e-mail come from Teams (the 1:1 conversation's member).
 */
export function learnInstaller(deps: ChatDeps): (context: TurnContext, turn: Turn) => Promise<void> {
  const rememberPerson = rememberPersonUseCase(deps);
  return async (context, turn) => {
    if (turn.place.type !== 'personal') return;
    const { activity } = context;
    const member = activity.from?.id ? await fetchMember(context, activity.from.id).catch((e) => deps.logger.warn({ err: e }, 'could not read who installed DealDesk')) : undefined;
    const named = member && member.aadObjectId === turn.actor.user.id ? member : undefined;
    // Without a name from Teams or the activity, a name DealDesk already has is not replaced by an id.
    const kept = named || activity.from?.name ? undefined : (await deps.store.people.get(turn.actor.tenantId, turn.actor.user.id))?.name;
    await rememberPerson({
      tenantId: turn.actor.tenantId,
      id: turn.actor.user.id,
      name: named?.name ?? kept ?? turn.actor.user.name,
      email: named?.email ?? named?.userPrincipalName,
      userId: activity.from?.id,
      serviceUrl: activity.serviceUrl,
      locale: turn.locale,
    }, { talking: true });
  };
}
