import type { Deal } from '../domain/deal';
import { CURRENCIES } from '../domain/money';
import { shorten } from '../domain/shorten-text';
import { parseMoveTarget } from '../domain/stage';
import { EVIDENCE_KEYS } from '../domain/evidence';
import type { Span } from '../domain/understand/update-proposal';
import type { Translate } from '../i18n/locale';
import { dealStageLabel, fieldLabel, stageLabel } from './labels';
import { renderCard } from './render-card';
import { mdInline, plain } from './safe-text';

/** The rows a proposal card may hold, in the order it shows them. */
export const PROPOSAL_FIELDS = ['stage', 'value', 'currency', 'closeDate', 'probability', 'nextStep', ...EVIDENCE_KEYS, 'note'] as const;
export type ProposalField = (typeof PROPOSAL_FIELDS)[number];

/** One proposed change as the card shows it: the value an input starts with, and where the message said it. */
export interface ProposalRow {
  field: ProposalField;
  value: string | number;
  span: Span;
}

/** The card inputs of a row: its tick box and its value. */
export const TICK = 'on.';
export const INPUT = 'in.';

export interface ProposalView {
  proposalId: string;
  /** The user's words, for each row to show the part it was read from. */
  text: string;
  /** The deal recognised; absent: `choices` are offered. */
  deal?: Deal;
  choices: readonly Deal[];
  rows: readonly ProposalRow[];
}

const STAGE_CHOICES = ['Prospect', 'Qualify', 'Solution', 'Proof', 'Won', 'Lost'];
const dealName = (d: Deal) => `${d.id} · ${shorten(d.title, 60)} · ${shorten(d.account, 30)} · `;

/**
 * The proposal card (issue 21): the deal DealDesk read a message to be about (or a choice), and each change it
 * understood as a ticked row with its value in an editable input and the words it came from. Apply sends the
 * ticked rows; Cancel changes nothing.
 */
export function proposalCard(t: Translate, view: ProposalView) {
  const stageChoices = STAGE_CHOICES.map((value) => {
    const target = parseMoveTarget(value);
    return { title: stageLabel(t, target.stage, target.stage === 'Close' ? target.outcome : undefined), value };
  });
  const currencyChoices = CURRENCIES.map((c) => ({ title: c, value: c }));
  const rows = view.rows.map((row) => {
    const kind = row.field === 'stage' || row.field === 'currency' ? 'choice' : row.field === 'closeDate' ? 'date' : row.field === 'value' || row.field === 'probability' ? 'number' : 'text';
    const label = row.field === 'stage' || row.field === 'note' ? t(`proposal.field.${row.field}`) : fieldLabel(t, row.field);
    return {
      label,
      tickId: `${TICK}${row.field}`,
      inputId: `${INPUT}${row.field}`,
      kind,
      text: typeof row.value === 'string' ? plain(row.value, 1000) : '',
      number: typeof row.value === 'number' ? row.value : 0,
      choices: row.field === 'stage' ? stageChoices : row.field === 'currency' ? currencyChoices : [],
      said: t('proposal.said', { text: mdInline(view.text.slice(row.span.start, row.span.end), 160) }),
    };
  });
  const dealLine = view.deal ? t('proposal.deal', { deal: mdInline(dealName(view.deal) + dealStageLabel(t, view.deal), 200) }) : '';
  const heading = t('proposal.heading');
  return renderCard('proposal', {
    speak: [heading, dealLine || t('proposal.chooseDeal'), ...rows.map((r) => r.label)].join(' – '),
    heading,
    intro: t('proposal.intro'),
    dealLine,
    choose: {
      label: view.deal ? '' : t('proposal.chooseDeal'),
      choices: view.deal ? [] : view.choices.map((d) => ({ title: plain(dealName(d) + dealStageLabel(t, d), 200), value: d.id })),
    },
    noChanges: rows.length === 0 ? t('proposal.noChanges') : '',
    rows,
    apply: rows.length > 0 ? t('proposal.apply') : '',
    cancel: t('proposal.cancel'),
    proposalId: view.proposalId,
    dealId: view.deal?.id ?? '',
  });
}
