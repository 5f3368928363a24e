import assert from 'node:assert/strict';
import { approvalTrailCard, TRAIL_PAGE } from '../../src/cards/approval-trail-card';
import { HISTORY_PAGE, historyCard } from '../../src/cards/history-card';
import { COMMENT_MAX } from '../../src/domain/approval-round';
import { type Deal, withChanges } from '../../src/domain/deal';
import { NEXT_STEP_MAX } from '../../src/domain/deal-fields';
import { assemblePage, pageRange } from '../../src/domain/entry-page';
import type { Person } from '../../src/domain/person';
import { NOTE_MAX } from '../../src/app/log-on-deal';
import { type Locale, translator } from '../../src/i18n/locale';
import { approvedAfterResubmission } from './approval-fixtures';
import { actionsOf, assertTeamsReady, displayedTextsOf, hasLink, hasMention, MAX_CARD_BYTES, utf16Bytes } from './card-check';
import { aDeal } from '../domain/deal-fixture';

/** The text that costs most once escaped and serialised: every character markup (`*` → `\*` → `\\*` in JSON). */
const WORST = (length: number) => '*'.repeat(length);
const HOSTILE = '[click](https://evil.example) <at>Megan</at> ${$root.secret} **b** # heading';
/** A name as long as Teams's edge keeps it (120), all markup. */
const LOUD: Person = { id: 'aad-loud', name: WORST(120) };
const at = (i: number) => new Date(Date.parse('2026-11-21T00:00:00.000Z') + i * 60_000).toISOString();

/** A deal whose every history entry is as large as an entry gets: a whole note, or a next step changed from and to the longest. */
function loudest(count: number, text: (n: number) => string): Deal {
  let deal = aDeal();
  for (let i = 1; i <= count; i++) {
    deal = i % 2
      ? withChanges(deal, LOUD, at(i), [{ kind: 'note', text: text(NOTE_MAX) }], {})
      : withChanges(deal, LOUD, at(i), [{ kind: 'field', field: 'nextStep', from: text(NEXT_STEP_MAX), to: text(NEXT_STEP_MAX) }], {});
  }
  return deal;
}

describe('the history and audit-trail pages (issue 14, item 7)', () => {
  for (const locale of ['en-US', 'zh-CN'] as Locale[]) {
    const t = translator(locale);

    it(`a page of the largest entries there can be stays a card Teams takes, under 80 KB (${locale})`, () => {
      const deal = loudest(30, WORST);
      const card = historyCard(t, locale, deal);
      assertTeamsReady(card, 'history (largest entries)');
      assert.equal(displayedTextsOf(card).length, 2 + HISTORY_PAGE);
      assert.ok(utf16Bytes(card) < MAX_CARD_BYTES, `${utf16Bytes(card)} bytes`);
      // A note is shown whole on its page (the deal card shows 200 characters of it).
      assert.ok(displayedTextsOf(card).some((text) => text.includes('\\*'.repeat(NOTE_MAX))));

      let trail = approvedAfterResubmission();
      trail = { ...trail, approvalTrail: Array.from({ length: 30 }, (_, i) => ({ at: at(i), by: LOUD, round: 9, event: 'decided' as const, levelId: 'manager', levelName: WORST(60), decision: 'rejected' as const, comment: WORST(COMMENT_MAX) })) };
      const trailCard = approvalTrailCard(t, locale, trail);
      assertTeamsReady(trailCard, 'approval-trail (largest entries)');
      assert.equal(displayedTextsOf(trailCard).length, 2 + TRAIL_PAGE);
      assert.ok(displayedTextsOf(trailCard).some((text) => text.includes('\\*'.repeat(COMMENT_MAX))), 'a comment is shown whole');
    });

    it(`hostile notes, values and names are shown as text, never as links, mentions or expressions (${locale})`, () => {
      const deal = loudest(12, (length) => HOSTILE.repeat(Math.ceil(length / HOSTILE.length)).slice(0, length));
      for (const card of [historyCard(t, locale, deal), historyCard(t, locale, deal, assemblePage(deal, 'history', pageRange(13, HISTORY_PAGE, 3), new Map()))]) {
        assertTeamsReady(card, 'history (hostile)');
        for (const text of displayedTextsOf(card)) {
          assert.equal(hasLink(text), false, text.slice(0, 80));
          assert.equal(hasMention(text), false, text.slice(0, 80));
          assert.equal(text.includes('${'), false, text.slice(0, 80));
        }
      }
    });

    it(`the buttons page by position: Newer, Older, Open deal, each an Action.Execute (${locale})`, () => {
      const deal = loudest(28, (length) => 'x'.repeat(Math.min(length, 20)));
      const middle = historyCard(t, locale, deal, assemblePage(deal, 'history', pageRange(29, HISTORY_PAGE, 19), new Map()));
      assert.deepEqual(actionsOf(middle).map((a) => [a.type, a.title, a.verb, a.data]), [
        ['Action.Execute', t('button.newer'), 'history.page', { dealId: 'D-1042', end: 0 }],
        ['Action.Execute', t('button.older'), 'history.page', { dealId: 'D-1042', end: 9 }],
        ['Action.Execute', t('button.openDeal'), 'deal.show', { dealId: 'D-1042', end: 0 }],
      ]);
      assert.equal(displayedTextsOf(middle)[1], t('page.range', { from: '10', to: '19', total: '29' }));
    });
  }
});
