import type { Follow } from '../ports/follow-repository.port';
import type { Translate } from '../i18n/locale';
import { renderCard } from './render-card';
import { md } from './safe-text';

const commandOf = (f: Follow) => (f.target.kind === 'deal' ? `unfollow ${f.target.dealId}` : `unfollow account ${f.target.account}`);

/** What this channel follows, each with an Unfollow button. */
export function followingCard(t: Translate, follows: readonly Follow[], notice = '') {
  return renderCard('following', {
    notice,
    heading: t('following.heading'),
    empty: t('following.empty'),
    follows: follows.map((f) => ({
      label: f.target.kind === 'deal' ? t('following.deal', { id: f.target.dealId }) : t('following.account', { account: md(f.target.account, 80) }),
      command: commandOf(f),
      unfollowTitle: t('button.unfollow'),
    })),
  });
}
