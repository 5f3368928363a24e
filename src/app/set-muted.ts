import type { Deal } from '../domain/deal';
import { muteChoiceToKeep } from '../domain/deal-mutes';
import type { Actor, AppDeps } from './context';

/**
 * Muting is a person's own choice about a deal: anyone who may look the deal up may mute or unmute it for
 * themself. The choice is kept with the person, so the deal (its revision, history and alerts) never changes.
 */
export async function setMuted(deps: AppDeps, actor: Actor, deal: Pick<Deal, 'id' | 'mutedBy'>, muted: boolean): Promise<void> {
  const choice = muteChoiceToKeep(actor.user.id, deal.mutedBy, muted);
  await deps.store.people.setMuteChoice(actor.tenantId, actor.user.id, deal.id, choice, deps.clock.now().toISOString());
}
