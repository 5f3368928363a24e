import assert from 'node:assert/strict';
import { accountCard } from '../../src/cards/account-card';
import { csatCard } from '../../src/cards/csat-card';
import { csatRecoveryCard } from '../../src/cards/csat-recovery-card';
import { deliveryPlanCard } from '../../src/cards/delivery-plan-card';
import { digestCard } from '../../src/cards/digest-card';
import { lowCsatCard } from '../../src/cards/low-csat-card';
import { messageCard } from '../../src/cards/message-card';
import { myTeamCard } from '../../src/cards/my-team-card';
import { noticeCard } from '../../src/cards/notice-card';
import { nudgeCard } from '../../src/cards/nudge-card';
import { pipelineCard } from '../../src/cards/pipeline-card';
import { quotaCard } from '../../src/cards/quota-card';
import { md, mdInline } from '../../src/cards/safe-text';
import { summariseAccount } from '../../src/domain/account-summary';
import type { Deal } from '../../src/domain/deal';
import { planOf } from '../../src/domain/delivery-plan-rules';
import { buildDigest } from '../../src/domain/digest';
import { buildPipeline } from '../../src/domain/pipeline';
import { fiscalYearOf, quotaStatus } from '../../src/domain/quota';
import { type Locale, translator } from '../../src/i18n/locale';
import { aDeal, aDealIn, TENANT } from '../domain/deal-fixture';
import { actionsOf, cardProblems, displayedTextsOf, hasLink, hasMention, MAX_CARD_BYTES, unresolvedExpressions, utf16Bytes } from './card-check';
import { accountSummary, lowCsatDeal, plannedDeal } from './csat-fixtures';

/**
 * Hostile text on the cards added since test/cards/hostile-text.spec.ts (issue 8, item 8): CSAT, low CSAT,
 * CSAT recovery, delivery plan, account, nudge, quota, my team, digest, the pipeline with its chart, the
 * follow-up notices and the plain message card. Every text a user or the CRM can set (titles, accounts,
 * next steps, names, roles, milestones, comments, recovery plans) carries the hostile string at full length.
 */
const HOSTILE: Record<string, string> = {
  link: '[click](https://evil.example)',
  image: '![x](https://evil.example/p.png)',
  mention: '<at>Megan</at>',
  template: '${$root.secret}',
  nestedTemplate: '$${${x}}{y}',
  mixed: 'Azure [x](y) <at>z</at> ${a} **b** _c_ ~d~ |e|',
  escapedBracket: '\\[click](https://evil.example)',
  control: 'Azure\u0000\u0007\u001b[31m\n[x](y)\r\n# heading',
  rtlEmoji: '\u202e[x](y)\u202c 👩‍👩‍👧‍👦 مرحبا',
  long: `[${'y'.repeat(9_990)}](https://evil.example)`,
};


/** 500 characters of user text, each possibly escaped, plus the sentence around it. */
const MAX_TEXT = 1_200;

function assertNoInjection(card: unknown, what: string): void {
  assert.ok(card, `${what}: a card`);
  assert.deepEqual(cardProblems(card), [], `${what}: the reference parser reports nothing`);
  // Inputs prefilled with what was typed or stored, and button titles, are plain text (not markdown, never
  // expanded again): there the text is kept verbatim. Anywhere else, no ${…} may be left.
  const elsewhere = unresolvedExpressions(card).filter((at) => !/(body|items)\[\d+\]\.value: |\.actions\[\d+\]\.title: /.test(at));
  assert.deepEqual(elsewhere, [], `${what}: no \${…} is left outside inputs and button titles`);
  assert.ok(utf16Bytes(card) < MAX_CARD_BYTES, `${what}: ${utf16Bytes(card)} bytes`);
  assert.deepEqual(actionsOf(card).filter((a) => a.type !== 'Action.Execute' && a.type !== 'Action.ToggleVisibility').map((a) => a.type), [], `${what}: only Action.Execute`);
  const texts = displayedTextsOf(card);
  assert.ok(texts.length > 0, `${what}: shows text`);
  for (const text of texts) {
    const shown = JSON.stringify(text.slice(0, 120));
    assert.equal(hasLink(text), false, `${what}: a link in ${shown}`);
    assert.equal(hasMention(text), false, `${what}: a mention in ${shown}`);
    assert.equal(text.includes('${'), false, `${what}: a template expression in ${shown}`);
    assert.ok(text.length <= MAX_TEXT, `${what}: ${text.length} characters in ${shown}`);
  }
}

/** Every free-text field anywhere in a deal (and its team, plan, CSAT, recovery) replaced by `text`, raw. */
const TEXT_KEYS = new Set(['title', 'account', 'nextStep', 'name', 'role', 'comment', 'closeReason', 'milestone', 'note']);
function hostileDeal<T>(value: T, text: string): T {
  if (Array.isArray(value)) return value.map((v) => hostileDeal(v, text)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' && TEXT_KEYS.has(k) ? text : hostileDeal(v, text)])) as T;
  }
  return value;
}

const NOW = new Date('2027-02-10T09:00:00Z');

describe('hostile text in the newer cards (issue 8, item 8)', () => {
  for (const locale of ['en-US', 'zh-CN'] as Locale[]) {
    const t = translator(locale);
    for (const [kind, text] of Object.entries(HOSTILE)) {
      describe(`${kind} text (${locale})`, () => {
        const planned = hostileDeal(plannedDeal(), text);
        const low = hostileDeal(lowCsatDeal(), text);
        const entry = low.csat.find((c) => c.low)!;
        const open = hostileDeal(aDealIn('Solution', { id: 'D-1043', number: 1043 }), text);
        const deals: Deal[] = [hostileDeal(aDeal({ value: '600k', serviceLines: 'Consulting' }, { number: 1 }), text), hostileDeal(aDeal({ value: '400k', serviceLines: 'Premier Support' }, { number: 2 }), text)];
        const quota = { tenantId: TENANT, personId: 'aad-alex', fiscalYear: 'FY2027', pg1: { amount: 1e6, currency: 'USD' as const }, pg2: { amount: 5e5, currency: 'USD' as const }, setBy: { id: 'x', name: text }, updatedAt: NOW.toISOString() };
        const status = quotaStatus(deals, fiscalYearOf('2027-02-10', 7), quota);
        const person = { tenantId: TENANT, id: 'aad-megan', name: text, updatedAt: NOW.toISOString() };

        it('CSAT card (title, account, milestone, the comment typed back, an error quoting it)', () => {
          const followUp = planned.delivery!.followUps.find((f) => f.status === 'asked');
          assertNoInjection(csatCard(t, locale, planned, followUp), 'csat');
          assertNoInjection(csatCard(t, locale, planned, followUp, { error: t('error.CSAT.SCORE_INVALID', { value: mdInline(text, 80) }), values: { score: text, conditionsMet: text, comment: text } }), 'csat with values');
        });
        it('low-CSAT card (comment, who scored, the recovery and its owner, a notice)', () => {
          assertNoInjection(lowCsatCard(t, locale, low, entry), 'low-csat');
          assertNoInjection(lowCsatCard(t, locale, low, entry, t('recovery.saved', { nextStep: mdInline(text, 300), owner: mdInline(text, 80) })), 'low-csat with notice');
        });
        it('CSAT recovery card (with typed values and an error)', () => {
          assertNoInjection(csatRecoveryCard(t, locale, low, entry), 'csat-recovery');
          assertNoInjection(csatRecoveryCard(t, locale, low, entry, { error: t('recovery.notFound', { query: mdInline(text, 60) }), values: { nextStep: text, owner: text } }), 'csat-recovery with values');
        });
        it('delivery plan card (milestone names, typed milestones, notice, error)', () => {
          assertNoInjection(deliveryPlanCard(t, locale, planned, planOf(planned, planned.updatedAt)), 'delivery-plan');
          const notice = t('milestone.done', { name: mdInline(text, 80) });
          assertNoInjection(deliveryPlanCard(t, locale, planned, planOf(planned, planned.updatedAt), { notice, error: md(text, 200), values: { kickoff: text, plannedEnd: text, milestones: text } }), 'delivery-plan with values');
        });
        it('follow-up notices (plan request, CSAT request, low CSAT)', () => {
          const to = { id: 'aad-alex', name: text };
          assertNoInjection(noticeCard(t, locale, planned, { id: 'N1', kind: 'deliveryPlanRequest', to }), 'plan-request');
          assertNoInjection(noticeCard(t, locale, planned, { id: 'N2', kind: 'csatRequest', followUpId: planned.delivery!.followUps.find((f) => f.status === 'asked')!.id, to }), 'csat-request');
          assertNoInjection(noticeCard(t, locale, low, { id: 'N3', kind: 'lowCsat', csatId: entry.id, to: [to] }), 'low-csat notice');
        });
        it('account card (the account name, open deals, open low CSAT, the trend chart)', () => {
          const base = accountSummary();
          const summary = summariseAccount(text, [hostileDeal(plannedDeal(), text), low, open], '2027-02-10', 7);
          assertNoInjection(accountCard(t, locale, { ...hostileDeal(base, text), account: text }), 'account (fixture)');
          assertNoInjection(accountCard(t, locale, summary), 'account');
        });
        it('nudge card (titles, accounts, a notice)', () => {
          const rows = [
            { deal: deals[0], state: { kind: 'stale' as const, reason: { kind: 'closeDatePassed' as const, closeDate: '2026-11-12' } } },
            { deal: deals[1], state: { kind: 'stale' as const, reason: { kind: 'unchanged' as const, days: 21 } }, rev: 7 },
            { deal: open, state: { kind: 'closed' as const, outcome: 'Lost' as const } },
          ];
          assertNoInjection(nudgeCard(t, locale, rows, { notice: { text: t('nudge.changedMeanwhile', { id: mdInline(text, 20) }), tone: 'warning' }, staleAfterDays: 14 }), 'nudge');
        });
        it('quota card (the person’s name, who set the quota, a notice)', () => {
          assertNoInjection(quotaCard(t, locale, text, status, t('quota.saved', { name: mdInline(text, 80), fy: 'FY2027', pg1: '1', pg2: '2' })), 'quota');
        });
        it('my-team card (the manager’s and the reports’ names)', () => {
          assertNoInjection(myTeamCard(t, locale, text, [{ person, status }, { person: { ...person, id: 'aad-2' }, status }]), 'my-team');
        });
        it('digest card (name, deals, the manager’s team, approvals and low CSAT)', () => {
          const digest = buildDigest([...deals, open], NOW, '2027-02-10', 14);
          assertNoInjection(digestCard(t, locale, { name: text, week: '2027-W06', digest, status, manager: { team: [{ person, status }], approvals: [open], lowCsat: [{ deal: low, entry }] } }), 'digest');
        });
        it('pipeline card with its chart (one currency: the chart is drawn)', () => {
          assertNoInjection(pipelineCard(t, locale, text, buildPipeline(deals)), 'pipeline');
        });
        it('message card (a heading and text quoting it, as the replies build them)', () => {
          assertNoInjection(messageCard(t, t('manager.set', { name: mdInline(text, 80), manager: mdInline(text, 80) }), { heading: t('csat.heading', { id: 'D-1', title: mdInline(text, 80) }), buttons: [{ title: text.slice(0, 60), command: { name: 'showDeal', ref: 'D-1' } }] }), 'message');
        });
      });
    }
  }

  it('the checks can fail: an unescaped title on a card is caught', () => {
    const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: HOSTILE.link }] };
    assert.throws(() => assertNoInjection(card, 'raw'), /a link/);
    const template = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'a ${b}' }] };
    assert.throws(() => assertNoInjection(template, 'raw'), /template expression|\$\{…\}/);
  });
});
