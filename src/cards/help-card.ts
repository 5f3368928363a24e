import type { Translate } from '../i18n/locale';
import { renderCard } from './render-card';

const COMMANDS = ['help', 'newDeal', 'deal', 'myDeals', 'move', 'set', 'close', 'history', 'summary', 'team', 'follow', 'alerts', 'approval', 'followUps', 'stale', 'quota', 'digest', 'reassign', 'sync'] as const;

/** Alternatives in a syntax line ("my deals  ·  pipeline"). */
const ALTERNATIVES = /(\s+·\s+)/;
const CODE_OR_PLACEHOLDER = /`[^`]*`|<[^<>\n]+>/g;

/**
 * Teams clients read `<deal>` as an HTML tag and drop it ("team · add to [as ]"). Inside a code span, as the
 * approvers card writes its usage, every client shows it: each command of a syntax line becomes one code span,
 * and a placeholder in running text becomes its own.
 */
export const syntaxAsCode = (syntax: string): string =>
  syntax.split(ALTERNATIVES).map((part, i) => (i % 2 === 0 && part.trim() && !part.includes('`') ? `\`${part}\`` : part)).join('');

export const placeholdersAsCode = (text: string): string =>
  text.replace(CODE_OR_PLACEHOLDER, (m) => (m.startsWith('`') ? m : `\`${m}\``));

/** What DealDesk can do, with buttons for the common things. `greeting` is for the first hello. */
export function helpCard(t: Translate, options: { greeting?: boolean } = {}) {
  return renderCard('help', {
    greeting: options.greeting ? placeholdersAsCode(t('help.greeting')) : '',
    title: t('help.title'),
    intro: placeholdersAsCode(t('help.intro')),
    commands: COMMANDS.map((c) => ({ syntax: syntaxAsCode(t(`help.syntax.${c}`)), description: placeholdersAsCode(t(`help.description.${c}`)) })),
    buttons: { newDeal: t('button.newDeal'), myDeals: t('button.myDeals') },
  });
}
