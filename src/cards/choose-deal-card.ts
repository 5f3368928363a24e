import type { Deal } from '../domain/deal';
import type { Translate } from '../i18n/locale';
import { dealStageLabel } from './labels';
import { renderCard } from './render-card';
import { md } from './safe-text';

/**
 * Several deals match what the user typed: one button per match, each re-running the user's
 * command with that deal's id (the command is parsed and authorised again like typed text).
 */
export function chooseDealCard(t: Translate, fragment: string, matches: readonly Deal[], commandFor: (id: string) => string) {
  return renderCard('choose-deal', {
    heading: t('choose.heading', { fragment: md(fragment, 60) }),
    intro: t('choose.intro'),
    matches: matches.map((d) => ({
      label: `${d.id} · ${d.title.slice(0, 60)} · ${d.account.slice(0, 30)} · ${dealStageLabel(t, d)}`,
      command: commandFor(d.id),
    })),
  });
}
