import type { Deal } from '../domain/deal';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';

/** Muting is a person's own choice about a deal: anyone in the tenant may mute or unmute for themself. */
export const setMuted = (deps: AppDeps, actor: Actor, dealId: string, muted: boolean): Promise<Deal> =>
  changeDeal(
    deps,
    actor,
    dealId,
    (deal) => {
      const has = deal.mutedBy.includes(actor.user.id);
      if (has === muted) return deal;
      return { ...deal, mutedBy: muted ? [...deal.mutedBy, actor.user.id] : deal.mutedBy.filter((id) => id !== actor.user.id) };
    },
    { authorise: () => undefined },
  );
