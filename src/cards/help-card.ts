import type { Translate } from '../i18n/locale';
import { renderCard } from './render-card';

const COMMANDS = ['help', 'newDeal', 'deal', 'myDeals', 'move', 'set', 'close', 'history', 'team', 'follow', 'alerts', 'approval', 'followUps', 'stale', 'quota', 'digest', 'reassign'] as const;

/** What DealDesk can do, with buttons for the common things. `greeting` is for the first hello. */
export function helpCard(t: Translate, options: { greeting?: boolean } = {}) {
  return renderCard('help', {
    greeting: options.greeting ? t('help.greeting') : '',
    title: t('help.title'),
    intro: t('help.intro'),
    commands: COMMANDS.map((c) => ({ syntax: t(`help.syntax.${c}`), description: t(`help.description.${c}`) })),
    buttons: { newDeal: t('button.newDeal'), myDeals: t('button.myDeals') },
  });
}
