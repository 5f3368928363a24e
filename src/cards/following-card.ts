import type { Command } from '../chat/command';
import type { Follow } from '../ports/follow-repository.port';
import type { Translate } from '../i18n/locale';
import { renderCard } from './render-card';
import { md } from './safe-text';
import { bannerView } from './banner';

const commandOf = (f: Follow): Command => (f.target.kind === 'deal' ? { name: 'unfollow', ref: f.target.dealId } : { name: 'unfollow', account: f.target.account });

/** What a follow covers, and who made it; one with nobody recorded (made before DealDesk recorded followers) says it is paused. */
function labelOf(t: Translate, f: Follow): string {
  const what = f.target.kind === 'deal' ? t('following.deal', { id: f.target.dealId }) : t('following.account', { account: md(f.target.account, 80) });
  return f.followedBy ? t('following.by', { what, name: md(f.followedBy.name, 80) }) : t('following.paused', { what });
}

/** What this channel follows, each with who followed it and an Unfollow button. */
export function followingCard(t: Translate, follows: readonly Follow[], notice = '') {
  return renderCard('following', {
    banner: bannerView(notice),
    heading: t('following.heading'),
    empty: t('following.empty'),
    follows: follows.map((f) => ({
      label: labelOf(t, f),
      command: commandOf(f),
      unfollowTitle: t('button.unfollow'),
    })),
  });
}
