import assert from 'node:assert/strict';
import { buttons, cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { contosoForm } from './deal-fixtures';
import { parseCommand } from '../../src/chat/parse-command';

const DAY = 86_400_000;

describe('issue 21 §4: `summary <deal>` and `摘要 <商机>` (through /api/messages)', function () {
  this.timeout(30_000);
  const h = new DealDeskHarness({ DEAL_VISIBILITY: 'team' });
  before(async () => {
    await h.start();
    await h.press('deal.create', contosoForm); // D-1001
    await h.say('move D-1001 to qualify');
    await h.say('set D-1001 budget Approved by the CFO');
  });
  after(() => h.stop());

  it('in English: the last week\'s changes, what is at risk, and the next step it suggests', async () => {
    const said = await h.say('summary D-1001');
    const text = cardText(said.cards[0]);
    assert.match(text, /^Summary of D-1001 · Azure migration assessment/);
    assert.match(text, /Changed in the last 7 days:\n\n• .*created the deal\n\n• .*moved Prospect → Qualify\n\n• .*changed Budget: — → Approved by the CFO/);
    assert.match(text, /At risk:\n\n• To move to Solution it still needs: Business decision maker \(BDM\), Technical decision maker \(TDM\)/);
    assert.match(text, /Suggested next step: Get the Business decision maker \(BDM\), Technical decision maker \(TDM\) to move it to Solution\./);
    assert.deepEqual(buttons(said.cards[0]).map((b) => b.data.command), ['deal D-1001', 'history D-1001', 'help'].map(parseCommand));
  });

  it('in Chinese (摘要 <商机>), for a user whose language is Chinese', async () => {
    const said = await h.say('摘要 D-1001', { locale: 'zh-CN' });
    const text = cardText(said.cards[0]);
    assert.match(text, /^D-1001 · Azure migration assessment 摘要/);
    assert.match(text, /最近 7 天的变更：/);
    assert.match(text, /风险：\n\n• 推进到方案还缺：/);
    assert.match(text, /建议下一步：补齐/);
  });

  it('a week later and past its close date: nothing changed this week; stale and close date passed are risks', async () => {
    h.advance(130 * DAY);
    const text = cardText((await h.say('summary D-1001')).cards[0]);
    assert.match(text, /Nothing changed in the last 7 days\./);
    assert.match(text, /• No change for 130 days/);
    assert.match(text, /• The close date 2027-03-31 has passed/);
  });

  it('a stranger, who may not read the deal (DEAL_VISIBILITY=team), is refused and shown nothing of it', async () => {
    const said = await h.say('summary D-1001', { as: 'patti' });
    const text = [...said.texts, ...said.cards.map(cardText)].join('\n');
    assert.match(text, /You don't have access to a deal matching "D-1001", or there is none\./);
    assert.doesNotMatch(text, /Azure|Contoso|Budget/);
  });

  it('`summary` alone says how to use it; 摘要 alone is still the weekly digest', async () => {
    assert.match(cardText((await h.say('summary')).cards[0]), /Type `summary <deal>`/);
    assert.doesNotMatch(cardText((await h.say('摘要', { locale: 'zh-CN' })).cards[0]), /摘要 <商机>/);
  });
});
