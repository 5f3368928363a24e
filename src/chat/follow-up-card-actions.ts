import { getDeal } from '../app/find-deal';
import { findPerson } from '../app/find-person';
import { saveDeliveryPlan, snoozeCsat } from '../app/plan-delivery';
import { assertMayPlanRecovery, recordCsatScore, recordRecovery } from '../app/record-csat';
import { csatCard } from '../cards/csat-card';
import { csatRecoveryCard } from '../cards/csat-recovery-card';
import { deliveryPlanCard } from '../cards/delivery-plan-card';
import { lowCsatCard } from '../cards/low-csat-card';
import { messageCard } from '../cards/message-card';
import { md, mdInline } from '../cards/safe-text';
import { planOf } from '../domain/delivery-plan-rules';
import { DomainError, isDomainError } from '../domain/errors';
import { formatDate } from '../i18n/format';
import { type CardHandler, type CardHandlers, cardText } from './card-data';
import { errorText } from './error-reply';
import { cardReply, type Reply, type Turn } from './reply';
import { shorten } from '../domain/shorten-text';

/** Errors that a form cannot fix: they propagate and are worded as a message. */
const NOT_FOR_THE_FORM = ['DEAL.NOT_FOUND', 'DEAL.NOT_VISIBLE', 'DEAL.NOT_OWNER', 'DEAL.BUSY', 'PLAN.NOT_WON', 'CSAT.NOT_ALLOWED', 'CSAT.ALREADY_RECORDED', 'CSAT.ENTRY_UNKNOWN', 'CSAT.FOLLOW_UP_UNKNOWN', 'CSAT.NOT_LOW', 'REQUEST.INVALID'];

/** Runs a change submitted from a form; a bad input answers with the same form, its values and the error. */
async function orForm(turn: Turn, act: () => Promise<Reply>, form: (error: string) => Promise<Reply>): Promise<Reply> {
  try {
    return await act();
  } catch (e) {
    if (!isDomainError(e) || NOT_FOR_THE_FORM.includes(e.code)) throw e;
    return form(e.code === 'DEAL.CHANGED_MEANWHILE' ? turn.t('notice.changedMeanwhile') : errorText(turn, e));
  }
}

const savePlan: CardHandler<'plan.save'> = async (turn, deps, data) => {
  const { dealId, rev } = data;
  const values = { kickoff: cardText(data, 'kickoff'), plannedEnd: cardText(data, 'plannedEnd'), milestones: shorten(cardText(data, 'milestones'), 4000) };
  return orForm(turn, async () => {
    const deal = await saveDeliveryPlan(deps, turn.actor, dealId, values, { seenRev: rev });
    return cardReply(deliveryPlanCard(turn.t, turn.locale, deal, planOf(deal, deal.updatedAt), { notice: turn.t('plan.saved') }));
  }, async (error) => {
    const { deal } = await getDeal(deps, turn.actor, dealId);
    // After a change meanwhile, show the plan as it is now; after a bad input, what was typed.
    const changed = rev !== undefined && rev !== deal.rev;
    return cardReply(deliveryPlanCard(turn.t, turn.locale, deal, planOf(deal, deal.updatedAt), { error, ...(changed ? {} : { values }) }));
  });
};

const recordCsat: CardHandler<'csat.record'> = async (turn, deps, data) => {
  const { dealId, followUpId } = data;
  const values = { score: cardText(data, 'score'), conditionsMet: cardText(data, 'conditionsMet'), comment: shorten(cardText(data, 'comment'), 2000) };
  return orForm(turn, async () => {
    const deal = await recordCsatScore(deps, turn.actor, dealId, { followUpId: followUpId || undefined, ...values });
    const entry = deal.csat[deal.csat.length - 1];
    const text = turn.t(entry.low ? 'csat.recordedLow' : 'csat.recorded', { score: entry.score, id: deal.id });
    return cardReply(messageCard(turn.t, text, { heading: turn.t('csat.heading', { id: deal.id, title: mdInline(deal.title, 80) }), buttons: [{ title: turn.t('button.openDeal'), command: { name: 'showDeal', ref: deal.id } }] }));
  }, async (error) => {
    const { deal } = await getDeal(deps, turn.actor, dealId);
    const followUp = followUpId ? deal.delivery?.followUps.find((f) => f.id === followUpId) : undefined;
    return cardReply(csatCard(turn.t, turn.locale, deal, followUp, { error, values }));
  });
};

const snooze: CardHandler<'csat.snooze'> = async (turn, deps, data) => {
  const { dealId, followUpId } = data;
  if (!followUpId) throw new DomainError('REQUEST.INVALID');
  const deal = await snoozeCsat(deps, turn.actor, dealId, followUpId);
  const dueAt = deal.delivery?.followUps.find((f) => f.id === followUpId)?.dueAt ?? '';
  const text = turn.t('csat.snoozed', { date: formatDate(turn.locale, dueAt.slice(0, 10)) });
  return cardReply(messageCard(turn.t, text, { heading: turn.t('csat.heading', { id: deal.id, title: mdInline(deal.title, 80) }), buttons: [{ title: turn.t('button.openDeal'), command: { name: 'showDeal', ref: deal.id } }] }));
};

const recoveryForm: CardHandler<'csat.recoveryForm'> = async (turn, deps, data) => {
  const { dealId, csatId } = data;
  const { deal } = await getDeal(deps, turn.actor, dealId);
  await assertMayPlanRecovery(deps, turn.actor, deal);
  const entry = deal.csat.find((c) => c.id === csatId);
  if (!entry) throw new DomainError('CSAT.ENTRY_UNKNOWN', { id: csatId });
  if (!entry.low) throw new DomainError('CSAT.NOT_LOW', { id: csatId });
  return cardReply(csatRecoveryCard(turn.t, turn.locale, deal, entry));
};

const saveRecovery: CardHandler<'csat.recovery'> = async (turn, deps, data) => {
  const { dealId, csatId } = data;
  const values = { nextStep: shorten(cardText(data, 'nextStep'), 1000), owner: shorten(cardText(data, 'owner'), 200) };
  const formWith = async (error: string) => {
    const { deal } = await getDeal(deps, turn.actor, dealId);
    const entry = deal.csat.find((c) => c.id === csatId);
    if (!entry) throw new DomainError('CSAT.ENTRY_UNKNOWN', { id: csatId });
    return cardReply(csatRecoveryCard(turn.t, turn.locale, deal, entry, { error, values }));
  };
  return orForm(turn, async () => {
    const { deal: before } = await getDeal(deps, turn.actor, dealId);
    await assertMayPlanRecovery(deps, turn.actor, before);
    // The next step is checked before the person is looked up, so each bad field is named on its own.
    if (!values.nextStep.trim()) throw new DomainError('CSAT.NEXT_STEP_INVALID', { max: 300 });
    let person;
    try {
      person = await findPerson(deps, turn.actor, values.owner);
    } catch (e) {
      if (isDomainError(e) && e.code.startsWith('PERSON.NOT_FOUND')) return formWith(turn.t('recovery.notFound', { query: mdInline(values.owner, 60) }));
      throw e;
    }
    if (person.kind === 'ambiguous') {
      return formWith(turn.t('recovery.ambiguous', { query: mdInline(values.owner, 60), names: person.matches.map((p) => md(p.name, 40)).join(', ') }));
    }
    const deal = await recordRecovery(deps, turn.actor, dealId, csatId, values.nextStep, { id: person.person.id, name: person.person.name });
    const entry = deal.csat.find((c) => c.id === csatId)!;
    const notice = turn.t('recovery.saved', { nextStep: mdInline(values.nextStep.trim(), 300), owner: mdInline(person.person.name, 80) });
    return cardReply(lowCsatCard(turn.t, turn.locale, deal, entry, notice));
  }, formWith);
};

/** The card verbs of the follow-up cards. */
export const FOLLOW_UP_CARD_ACTIONS: CardHandlers<'plan.save' | 'csat.record' | 'csat.snooze' | 'csat.recoveryForm' | 'csat.recovery'> = {
  'plan.save': savePlan,
  'csat.record': recordCsat,
  'csat.snooze': snooze,
  'csat.recoveryForm': recoveryForm,
  'csat.recovery': saveRecovery,
};
