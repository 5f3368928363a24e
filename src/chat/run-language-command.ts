import { chooseLanguage, chosenLanguage } from '../app/choose-language';
import type { AppDeps } from '../app/context';
import { messageCard } from '../cards/message-card';
import { type Locale, localeOfPerson, translator } from '../i18n/locale';
import type { LanguageChoice } from './command';
import { cardReply, type Reply, type Turn } from './reply';

/**
 * `language zh-CN` / `语言 中文` / `language en` / `language teams`: stores the choice with the person and answers in
 * the language now in force; without a choice, says which language is in force and why.
 */
export async function runLanguageCommand(turn: Turn, deps: AppDeps, choice: LanguageChoice | undefined): Promise<Reply> {
  if (!choice) {
    const chosen = await chosenLanguage(deps, turn.actor);
    return cardReply(messageCard(turn.t, turn.t(chosen ? 'language.current.chosen' : 'language.current.teams', { language: turn.t(`language.name.${turn.locale}`) })));
  }
  await chooseLanguage(deps, turn.actor, choice === 'teams' ? undefined : choice);
  const locale: Locale = choice === 'teams' ? localeOfPerson({ locale: (await deps.store.people.get(turn.actor.tenantId, turn.actor.user.id))?.locale }) : choice;
  const t = translator(locale);
  return cardReply(messageCard(t, t(choice === 'teams' ? 'language.followsTeams' : 'language.chosen', { language: t(`language.name.${locale}`) })));
}
