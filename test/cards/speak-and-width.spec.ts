import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { alertCard } from '../../src/cards/alert-card';
import { approvalCard } from '../../src/cards/approval-card';
import { approvalNoticeCard } from '../../src/cards/approval-notice-card';
import { csatCard } from '../../src/cards/csat-card';
import { digestCard } from '../../src/cards/digest-card';
import { lowCsatCard } from '../../src/cards/low-csat-card';
import { messageCard } from '../../src/cards/message-card';
import { nudgeCard } from '../../src/cards/nudge-card';
import { CARDS_DIR, type CardName, type CardViews, renderCard } from '../../src/cards/render-card';
import { decide } from '../../src/domain/approval-round';
import { aDeal } from '../domain/deal-fixture';
import { buildDigest } from '../../src/domain/digest';
import { fiscalYearOf, quotaStatus } from '../../src/domain/quota';
import { type Locale, translator } from '../../src/i18n/locale';
import { anAlert } from './alert-fixtures';
import { ADELE, approvalInProgress, hoursLater, requestedDeal, TIMING } from './approval-fixtures';
import { lowCsatDeal, plannedDeal } from './csat-fixtures';
import { objectsOf } from './card-check';

/**
 * Issue 18, item 2: every card speaks (`speak`, for screen readers, and the line a proactive card shows in
 * Teams's notification and chat list), and a card that lays data out as a table or a chart takes the full width.
 *
 * The width rule: a card with a Table, a chart (Chart.*) or a ColumnSet of three or more columns (a table laid out
 * in columns) sets `msteams: { width: "Full" }`; any other card leaves the width to Teams.
 */
const wantsFullWidth = (card: unknown): boolean =>
  [...objectsOf(card)].some((o) => o.type === 'Table' || (typeof o.type === 'string' && o.type.startsWith('Chart.')) || (o.type === 'ColumnSet' && Array.isArray(o.columns) && o.columns.length >= 3));
const widthOf = (card: Record<string, unknown>) => (card.msteams as { width?: string } | undefined)?.width;
const speakOf = (card: object) => (card as { speak?: unknown }).speak;
const CJK = /[\u4e00-\u9fff]/;

const templateNames = readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json')).sort();
import { sampleOf } from './samples';

describe('every card speaks, and tables and charts take the full width (issue 18)', () => {
  it('all the templates are checked', () => {
    assert.equal(templateNames.length, 27);
  });

  for (const name of templateNames) {
    it(`${name}.json, rendered with its sample: speak is there and not empty; width Full exactly when it holds a table or chart`, () => {
      const card = renderCard(name as CardName, sampleOf(name as CardName));
      const speak = speakOf(card);
      assert.equal(typeof speak, 'string', `${name}: no speak`);
      assert.ok((speak as string).trim().length > 0, `${name}: empty speak`);
      assert.doesNotMatch(speak as string, /\$\{/, `${name}: unresolved speak`);
      assert.equal(widthOf(card) === 'Full', wantsFullWidth(card), `${name}: msteams.width ${widthOf(card)}, table or chart: ${wantsFullWidth(card)}`);
      if (widthOf(card) !== undefined) assert.equal(widthOf(card), 'Full');
    });
  }

  it('a builder without words of its own speaks the heading and the first line; without a heading, the title', () => {
    const t = translator('en-US');
    assert.equal(speakOf(messageCard(t, 'Nothing *due* today.', { heading: 'Reminders' })), 'Reminders – Nothing due today.');
    assert.equal(speakOf(renderCard('deal', { ...sampleOf('deal'), speak: undefined, heading: undefined, title: 'Azure \\*migration\\*' } as CardViews['deal'])), 'Azure *migration*');
  });

  it('user text speaks as plain text: no markdown escapes, no angle brackets, no ${…}', () => {
    const t = translator('en-US');
    const speak = speakOf(alertCard(t, 'en-US', anAlert({ title: 'Q3 <at>Boss</at> **big** ${x}' }))) as string;
    assert.match(speak, /^D-1042 Q3 ‹at›Boss‹\/at› \*\*big\*\* \$\u200b\{x\} moved to /);
  });

  for (const locale of ['en-US', 'zh-CN'] as const) {
    describe(`the proactive cards speak what happened, in ${locale}`, () => {
      const t = translator(locale);
      const inLanguage = (speak: unknown, what: string) => {
        assert.equal(typeof speak, 'string', what);
        assert.equal(CJK.test(speak as string), locale === 'zh-CN', `${what} in ${locale}: ${speak}`);
      };

      it('an alert: the stage move and who made it; other changes by field', () => {
        const moved = speakOf(alertCard(t, locale, anAlert({ actors: [{ id: 'aad-alex', name: 'Alex Wilber' }] })));
        assert.equal(moved, locale === 'en-US' ? 'D-1042 Azure migration assessment moved to Solution by Alex Wilber' : 'D-1042 Azure migration assessment 已由 Alex Wilber 推进到方案');
        const valued = speakOf(alertCard(t, locale, anAlert({ actors: [{ id: 'aad-alex', name: 'Alex Wilber' }], changes: [{ kind: 'value', from: { amount: 1e6, currency: 'USD' }, to: { amount: 2e6, currency: 'USD' } }] })));
        assert.equal(valued, locale === 'en-US' ? 'D-1042 Azure migration assessment: NWS value changed by Alex Wilber' : 'D-1042 Azure migration assessment：Alex Wilber 修改了NWS 金额');
      });

      it('the approval card: approval needed, the value and who asked; once decided, the decision', () => {
        assert.equal(speakOf(approvalCard(t, locale, approvalInProgress())), locale === 'en-US' ? 'Approval needed: D-1042, $6.2M, by Alex Wilber' : '待审批：D-1042，US$620万，发起人 Alex Wilber');
        const rejected = decide(requestedDeal(), ADELE, 'rejected', 'Margin too thin', hoursLater(1), TIMING);
        assert.equal(speakOf(approvalCard(t, locale, rejected)), locale === 'en-US' ? 'Rejected: D-1042, $6.2M' : '已拒绝：D-1042，US$620万');
        const toOwner = rejected.notices.find((n) => n.kind === 'toOwner')!;
        inLanguage(speakOf(approvalNoticeCard(t, locale, rejected, toOwner)!), 'the owner\'s notice');
      });

      it('the digest, a nudge, a CSAT request and a low-CSAT alert', () => {
        const deals = [aDeal({ value: '600k' }, { number: 1 })];
        inLanguage(speakOf(digestCard(t, locale, { name: 'Alex Wilber', week: '2026-W48', digest: buildDigest(deals, new Date('2026-11-27T00:00:00Z'), '2026-11-27', 14), status: quotaStatus(deals, fiscalYearOf('2026-11-27', 7), undefined) })), 'digest');
        inLanguage(speakOf(nudgeCard(t, locale, [{ deal: deals[0]!, state: { kind: 'stale', reason: { kind: 'closeDatePassed', closeDate: '2026-11-12' } } }], { staleAfterDays: 14 })), 'nudge');
        const planned = plannedDeal();
        inLanguage(speakOf(csatCard(t, locale, planned, planned.delivery!.followUps[0]!)), 'CSAT request');
        const low = lowCsatDeal();
        inLanguage(speakOf(lowCsatCard(t, locale, low, low.csat[0]!)), 'low CSAT');
      });
    });
  }

  describe('the checks can fail', () => {
    it('the width rule sees a chart, a table and a three-column ColumnSet, and not two columns', () => {
      assert.equal(wantsFullWidth({ body: [{ type: 'Container', items: [{ type: 'Chart.Pie' }] }] }), true);
      assert.equal(wantsFullWidth({ body: [{ type: 'Table', rows: [] }] }), true);
      assert.equal(wantsFullWidth({ body: [{ type: 'ColumnSet', columns: [{}, {}, {}] }] }), true);
      assert.equal(wantsFullWidth({ body: [{ type: 'ColumnSet', columns: [{}, {}] }, { type: 'FactSet', facts: [] }] }), false);
    });
  });
});
