import type { Deal } from '../domain/deal';
import type { Translate } from '../i18n/locale';
import { dealStageLabel } from './labels';
import { renderCard } from './render-card';
import { plain } from './safe-text';
import { shorten } from '../domain/shorten-text';

/** The two actions on a message (message extension command ids). */
export type MessageAction = 'addNextStep' | 'logOnDeal';

export interface PickDealDialog {
  action: MessageAction;
  /** The message's text as plain text (what the user may still edit). */
  text: string;
  maxLength: number;
  /** The actor's open deals, most recently updated first. */
  deals: readonly Deal[];
  /** What was chosen or typed before, when the dialog comes back with an error. */
  dealId?: string;
  dealRef?: string;
  /** Already in the user's words, with anything they typed escaped (chat/error-reply.ts errorText). */
  error?: string;
}

/**
 * The small dialog of "Add as next step" and "Log on deal": the message's text, a list of the user's
 * open deals, a box for a deal id or part of a title, and Submit. Input values are plain text.
 */
export function pickDealDialogCard(t: Translate, dialog: PickDealDialog) {
  const heading = t(dialog.action === 'addNextStep' ? 'actions.addNextStep.heading' : 'actions.logOnDeal.heading');
  return renderCard('pick-deal-dialog', {
    heading,
    error: dialog.error ?? '',
    text: plain(dialog.text, dialog.maxLength),
    maxLength: dialog.maxLength,
    labels: {
      text: t(dialog.action === 'addNextStep' ? 'actions.label.nextStep' : 'actions.label.note'),
      deal: t('actions.label.deal'),
      ref: t('actions.label.ref'),
    },
    placeholders: { deal: t('actions.placeholder.deal'), ref: t('actions.placeholder.ref') },
    deals: dialog.deals.map((d) => ({ id: d.id, title: plain(`${d.id} · ${shorten(d.title, 60)} · ${shorten(d.account, 30)} · ${dealStageLabel(t, d)}`, 140) })),
    dealId: plain(dialog.dealId ?? '', 20),
    dealRef: plain(dialog.dealRef ?? '', 120),
    noDeals: t('actions.noDeals'),
    submit: t(dialog.action === 'addNextStep' ? 'actions.submit.nextStep' : 'actions.submit.note'),
  });
}

/** The dialog as Teams opens it (a task module's TaskInfo). */
export function pickDealDialogTask(t: Translate, dialog: PickDealDialog) {
  return {
    title: t(dialog.action === 'addNextStep' ? 'actions.addNextStep.heading' : 'actions.logOnDeal.heading'),
    height: 'medium' as const,
    width: 'medium' as const,
    card: { contentType: 'application/vnd.microsoft.card.adaptive', content: pickDealDialogCard(t, dialog) },
  };
}
