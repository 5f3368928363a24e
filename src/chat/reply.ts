import type { Actor } from '../app/context';
import type { DirectoryNote } from '../app/look-in-directory';
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

/** A directory note (src/app/look-in-directory.ts) in the user's words, or '' when there is none. */
export function directoryNoteText(t: Translate, note: DirectoryNote | undefined): string {
  if (!note) return '';
  if (note.failure === 'forbidden') return t('directory.forbidden', { permission: note.permission });
  if (note.failure === 'signIn') return t('directory.signIn', { reason: note.reason, check: t(`directory.check.${note.credential}`) });
  return t('directory.incomplete');
}

/** The reply with one more line below it: a card gets a small text block at the end, a text a paragraph. */
export function withNote(reply: Reply, note: string): Reply {
  if (!note) return reply;
  if ('text' in reply) return textReply(reply.text ? `${reply.text}\n\n${note}` : note);
  const card = reply.card as AdaptiveCardJson & { body?: unknown[] };
  return cardReply({ ...card, body: [...(card.body ?? []), { type: 'TextBlock', text: note, wrap: true, size: 'Small', isSubtle: true }] } as AdaptiveCardJson);
}
