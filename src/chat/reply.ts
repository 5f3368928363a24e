import type { Actor } from '../app/context';
import type { AdaptiveCardJson } from '../cards/render-card';
import type { Locale, Translate } from '../i18n/locale';

/** What DealDesk answers: a card, or a short text. The bot layer turns it into a message or an invoke response. */
export type Reply = { card: AdaptiveCardJson } | { text: string };

/** Where a turn happens: a channel's id is the channel itself (not the thread the message is in). */
export interface Place {
  conversationId: string;
  type: 'personal' | 'groupChat' | 'channel';
}

/** One conversation turn as the chat layer sees it: who, where, in which language. */
export interface Turn {
  actor: Actor;
  locale: Locale;
  t: Translate;
  place: Place;
}

export const cardReply = (card: AdaptiveCardJson): Reply => ({ card });
export const textReply = (text: string): Reply => ({ text });
