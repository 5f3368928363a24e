import type { TurnContext } from 'botbuilder';
import { type Locale, translator, pickLocale } from '../i18n/locale';
import type { Turn } from '../chat/reply';
import { cleanText } from '../domain/deal-fields';
import { PERSON_NAME_MAX } from '../domain/person';
import { shorten } from '../domain/shorten-text';

/**
 * Who is acting and in which language, from the activity itself: the tenant from the conversation
 * (or channelData), the person from `from.aadObjectId`. Returns undefined when the activity does not
 * say who or where, and such an activity is answered but never acted on.
 */
export function turnOf(context: TurnContext): Turn | undefined {
  const { activity } = context;
  const tenantId = activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  const userId = activity.from?.aadObjectId ?? activity.from?.id;
  if (typeof tenantId !== 'string' || !tenantId || typeof userId !== 'string' || !userId) return undefined;
  const locale = pickLocale(activity.locale);
  const name = shorten(cleanText(activity.from?.name), PERSON_NAME_MAX) || userId;
  const rawType = activity.conversation?.conversationType;
  const type = rawType === 'channel' || rawType === 'groupChat' ? rawType : 'personal';
  // A channel message's conversation id names its thread (";messageid=…"); the channel is the part before.
  const conversationId = String(activity.conversation?.id ?? '').split(';')[0];
  return {
    // The Teams user id (`29:…`) rides along: a deal card lists its owner's and team's ids for Teams to refresh it.
    actor: { tenantId: tenantId.slice(0, 100), user: { id: userId.slice(0, 100), name, ...(teamsId(activity.from?.id, userId)) } },
    locale,
    t: translator(locale),
    place: { conversationId, type },
  };
}

/** The sender's Teams user id when it differs from the id DealDesk knows them by (their AAD object id). */
const teamsId = (id: unknown, knownAs: string): { userId?: string } =>
  typeof id === 'string' && id && id !== knownAs && id.length <= 200 ? { userId: id } : {};

export const localeTurn = (context: TurnContext) => translator(pickLocale(context.activity.locale));

/** The turn in the language its person chose (`language …`), or as Teams said when they chose none. */
export const inChosenLanguage = (turn: Turn, chosen: Locale | undefined): Turn =>
  chosen && chosen !== turn.locale ? { ...turn, locale: chosen, t: translator(chosen) } : turn;
