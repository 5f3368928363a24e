import type { ApprovalPolicy } from '../domain/approval-policy';
import { formatMoney } from '../i18n/format';
import type { Locale, Translate } from '../i18n/locale';
import { renderCard } from './render-card';
import { mdInline } from './safe-text';
import { bannerView } from './banner';

/** `approvers`: each level with its people and mode, the approvals channel, and the rules. */
export function approversCard(t: Translate, locale: Locale, policy: ApprovalPolicy, channelSet: boolean, notice = '') {
  const usd = (amount: number) => formatMoney(locale, { amount, currency: 'USD' });
  return renderCard('approvers', {
    banner: bannerView(notice),
    heading: t('approvers.heading'),
    channel: t(channelSet ? 'approvers.channelSet' : 'approvers.channelUnset'),
    levels: policy.levels.map((l, i) => ({
      title: `${i + 1}\\. ${mdInline(l.name, 60)}`,
      value: l.approvers.length === 0 ? t('approvers.none') : t(l.mode === 'any' ? 'approval.anyOf' : 'approval.allOf', { names: l.approvers.map((p) => mdInline(p.name, 60)).join(', ') }),
    })),
    rules: t('approvers.rules', { manager: usd(policy.managerNwsUsd), director: usd(policy.directorNwsUsd), discount: policy.discountPct }),
    usage: t('approvers.usage'),
    buttons: { help: t('button.help') },
  });
}
