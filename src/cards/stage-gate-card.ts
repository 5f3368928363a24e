import type { ApprovalGap } from '../domain/approval-rule';
import type { Deal } from '../domain/deal';
import type { GateItem } from '../domain/stage-gate';
import type { MoveTarget } from '../domain/stage';
import { formatMoney } from '../i18n/format';
import type { MessageKey, Translate } from '../i18n/locale';
import { approvalGateLine } from './approval-gate-text';
import { fieldLabel, stageLabel } from './labels';
import { md, plain } from './safe-text';
import { renderCard } from './render-card';

/** How a move target travels in card data: a stage name, or Won / Lost. */
export const targetKey = (target: MoveTarget): string => (target.stage === 'Close' ? target.outcome : target.stage);

/** What a refused move lacks, for the gate card. */
export interface GateNeeds {
  missing: readonly GateItem[];
  reason: boolean;
  error?: string;
  values?: Record<string, string>;
  /** Why approval is missing (from the refusal), when it is. */
  approval?: ApprovalGap;
  /** The final NWS value the owner closes at, when it is a valid amount. */
  closingAmount?: number;
}

/**
 * Asks for exactly what a move lacks: the gate's evidence, the final NWS value, or a reason; and, for a
 * complex deal closing Won, why approval is needed, with the Request approval offer.
 * Submitting it completes the move.
 */
export function stageGateCard(t: Translate, locale: Parameters<typeof formatMoney>[0], deal: Deal, target: MoveTarget, needs: GateNeeds) {
  const stage = stageLabel(t, target.stage, target.stage === 'Close' ? target.outcome : undefined);
  const prefill = (item: GateItem) => needs.values?.[item] ?? (item === 'finalValue' ? String(deal.value.amount) : '');
  const needsApproval = needs.missing.includes('approval');
  const inputs: Array<{ id: string; label: string; placeholder: string; value: string; errorMessage: string; multiline: boolean }> = needs.missing.filter((item) => item !== 'approval').map((item) => ({
    id: item,
    label: fieldLabel(t, item),
    placeholder: t(`gate.placeholder.${item}` as MessageKey, { value: formatMoney(locale, deal.value) }),
    value: plain(prefill(item)),
    errorMessage: t('form.required'),
    multiline: item === 'solutionOutline',
  }));
  if (needs.reason) {
    inputs.push({ id: 'note', label: t('field.reason'), placeholder: t('gate.placeholder.reason'), value: plain(needs.values?.note ?? ''), errorMessage: t('form.required'), multiline: false });
  }
  return renderCard('stage-gate', {
    heading: t('gate.heading', { id: deal.id, stage }),
    intro: needs.missing.length > 0
      ? t('gate.intro', { title: md(deal.title, 120), items: needs.missing.map((i) => fieldLabel(t, i)).join(', ') })
      : t('gate.reasonIntro', { title: md(deal.title, 120) }),
    error: needs.error ?? '',
    approval: needsApproval ? approvalGateLine(t, locale, deal, needs.approval, needs.closingAmount) : { text: '', button: '', value: '' },
    inputs,
    dealId: deal.id,
    rev: deal.rev,
    target: targetKey(target),
    submit: t('gate.submit', { stage }),
    cancel: t('button.cancel'),
  });
}
