import type { AlertChange } from '../domain/alert';
import type { AlertSnapshot } from '../domain/outgoing-message';
import { formatDate, formatInstant, formatMoney } from '../i18n/format';
import type { Locale, MessageKey, Translate } from '../i18n/locale';
import { stageLabel } from './labels';
import { renderCard } from './render-card';
import { md, mdInline } from './safe-text';

/** One change as "old → new", in the reader's language. */
export function alertChangeFact(t: Translate, locale: Locale, change: AlertChange): { title: string; value: string } {
  switch (change.kind) {
    case 'stage':
      return { title: t('field.stage'), value: `${stageLabel(t, change.from, change.fromOutcome)} → ${stageLabel(t, change.to, change.toOutcome)}` };
    case 'value':
      return { title: t('field.value'), value: `${formatMoney(locale, change.from)} → ${formatMoney(locale, change.to)}` };
    case 'closeDate':
      return { title: t('field.closeDate'), value: `${formatDate(locale, change.from)} → ${formatDate(locale, change.to)}` };
    case 'owner':
      return { title: t('field.owner'), value: `${mdInline(change.from.name, 60)} → ${mdInline(change.to.name, 60)}` };
  }
}

/** The proactive alert: what changed (old → new), who changed it and when, Open deal and Mute this deal. */
export function alertCard(t: Translate, locale: Locale, alert: AlertSnapshot) {
  return renderCard('alert', {
    speak: alertSpeech(t, alert),
    heading: t('alert.heading', { id: alert.dealId, account: mdInline(alert.account, 80) }),
    title: md(alert.title),
    changes: alert.changes.map((c) => alertChangeFact(t, locale, c)),
    byline: t('alert.byline', { names: alert.actors.map((a) => mdInline(a.name, 60)).join(', '), at: formatInstant(locale, alert.at) }),
    dealId: alert.dealId,
    buttons: { deal: t('button.openDeal'), mute: t('button.muteDeal') },
  });
}

/** "D-1001 Azure migration moved to Solution by Alex Wilber" (a stage change), else which fields changed and by whom. */
function alertSpeech(t: Translate, alert: AlertSnapshot): string {
  const names = alert.actors.map((a) => mdInline(a.name, 60)).join(', ');
  const title = mdInline(alert.title, 120);
  const stage = alert.changes.find((c) => c.kind === 'stage');
  if (stage?.kind === 'stage') return t('speak.alert.moved', { id: alert.dealId, title, stage: stageLabel(t, stage.to, stage.toOutcome), names });
  const fields = alert.changes.map((c) => t(`field.${c.kind}` as MessageKey)).join(', ');
  return t('speak.alert.changed', { id: alert.dealId, title, fields, names });
}
