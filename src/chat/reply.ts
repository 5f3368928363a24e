import type { Actor } from '../app/context';
import type { AdaptiveCardJson } from '../cards/render-card';
import type { Locale, Translate } from '../i18n/locale';

/** What DealDesk answers: a card, or a short text. The bot layer turns it into a message or an invoke response. */
export type Reply = { card: AdaptiveCardJson } | { text: string };

/** One conversation turn as the chat layer sees it: who, in which language. */
export interface Turn {
  actor: Actor;
  locale: Locale;
  t: Translate;
}

export const cardReply = (card: AdaptiveCardJson): Reply => ({ card });
export const textReply = (text: string): Reply => ({ text });
