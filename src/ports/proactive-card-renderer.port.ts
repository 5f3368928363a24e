import type { Deal } from '../domain/deal';
import type { Locale } from '../domain/locale';
import type { ProactiveCard } from '../domain/proactive-card';

/**
 * Draws a queued proactive card (data) as the Adaptive Card to send, in the recipient's language; a notice from its
 * deal as it is now (`deal`). Undefined: nothing to send. The sender is given it by the composition root
 * (cards/render-proactive.ts), so neither the dispatchers nor the use cases know how a card looks.
 */
export type RenderProactive = (intent: ProactiveCard, locale: Locale, deal?: Deal) => object | undefined;
