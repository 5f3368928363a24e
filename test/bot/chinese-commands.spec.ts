import assert from 'node:assert/strict';
import { button, cardText, inputs } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { waitFor } from '../support/wait-for';
import { TENANT, contosoForm } from './deal-fixtures';

/**
 * Issue 18, item 3: a Beijing team types Chinese, with or without spaces, mixed with English, whatever language its
 * Teams runs in; a person may choose the language DealDesk speaks to them, and alerts to them use it.
 */
describe('Chinese, the whole way (through /api/messages)', function () {
  this.timeout(20_000);
  const h = new DealDeskHarness();
  const stored = async (id: string) => (await h.store.deals.get(TENANT, id))!.deal;
  before(() => h.start());
  after(() => h.stop());

  for (const locale of ['en-US', 'zh-CN'] as const) {
    it(`a user whose Teams runs in ${locale} moves, sets and closes a deal with Chinese commands`, async () => {
      const ref = /D-\d+/.exec(cardText((await h.press('deal.create', contosoForm, { locale })).card!))?.[0] ?? '';
      assert.match(ref, /^D-\d+$/);

      const shown = (await h.say(`商机 ${ref}`, { locale })).cards[0];
      assert.match(cardText(shown), /Azure migration assessment/);

      const moved = (await h.say(`推进${ref}到资格确认`, { locale })).cards[0];
      assert.match(cardText(moved), locale === 'zh-CN' ? /已推进到资格确认。/ : /Moved to Qualify\./);
      assert.equal((await stored(ref)).stage, 'Qualify');

      await h.say(`设置 ${ref} 金额 120万`, { locale });
      assert.equal((await stored(ref)).value.amount, 1_200_000);
      await h.say(`set ${ref} 金额 １.２亿`, { locale });
      assert.equal((await stored(ref)).value.amount, 120_000_000);
      await h.say(`设置${ref}业务决策人 王总`, { locale });
      await h.say(`设置 ${ref} 技术决策人 李工`, { locale });
      await h.say(`设置 ${ref} 预算 已批准`, { locale });
      assert.deepEqual((await stored(ref)).evidence, { bdm: '王总', tdm: '李工', budget: '已批准' });

      const mixed = (await h.say(`move ${ref} 到 方案`, { locale })).cards[0];
      assert.match(cardText(mixed), locale === 'zh-CN' ? /已推进到方案。/ : /Moved to Solution\./);
      const gate = (await h.say(`推进 ${ref} to proof`, { locale })).cards[0];
      assert.deepEqual(Object.keys(inputs(gate)), ['solutionOutline'], 'the gate asks for the outline, in either language');
      assert.equal((await stored(ref)).stage, 'Solution');

      await h.say(`关闭 ${ref} 丢单 预算被砍`, { locale });
      const closed = await stored(ref);
      assert.equal(closed.stage, 'Close');
      assert.equal(closed.outcome, 'Lost');
    });
  }

  it('an English-Teams user chooses Chinese: 帮助 gets the Chinese card; the choice is stored with them; language en switches back', async () => {
    assert.match(cardText((await h.say('帮助', { as: 'megan', locale: 'en-US' })).cards[0]), /What DealDesk can do/);
    const chosen = (await h.say('语言 中文', { as: 'megan', locale: 'en-US' })).cards[0];
    assert.match(cardText(chosen), /今后我用中文回复你/);
    assert.equal((await h.store.people.get(TENANT, (await megan()).id))?.language, 'zh-CN');

    const help = (await h.say('帮助', { as: 'megan', locale: 'en-US' })).cards[0];
    assert.match(cardText(help), /DealDesk 能做什么/);
    assert.ok(button(help, '新建商机'));
    assert.match(cardText((await h.say('help', { as: 'megan', locale: 'en-US' })).cards[0]), /DealDesk 能做什么/, 'English commands are answered in the chosen language too');

    assert.match(cardText((await h.say('language en', { as: 'megan', locale: 'en-US' })).cards[0]), /I'll use English with you/);
    assert.match(cardText((await h.say('帮助', { as: 'megan', locale: 'en-US' })).cards[0]), /What DealDesk can do/);
    assert.equal((await h.store.people.get(TENANT, (await megan()).id))?.language, 'en-US');
    assert.match(cardText((await h.say('语言 自动', { as: 'megan', locale: 'zh-CN' })).cards[0]), /重新跟随你在 Teams 中的语言/);
    assert.equal((await h.store.people.get(TENANT, (await megan()).id))?.language, undefined);
  });

  it('an alert to a team member who chose Chinese is in Chinese, while their Teams runs in English', async () => {
    await h.say('help', { as: 'adele', locale: 'en-US' });
    await h.say('language zh-CN', { as: 'adele', locale: 'en-US' });
    const id = /D-\d+/.exec(cardText((await h.press('deal.create', { ...contosoForm, title: 'Beijing data centre' })).card!))![0];
    await h.say(`添加 adele 到 ${id} 作为 架构师`);
    h.connector.reset();
    await h.say(`推进 ${id} 到 资格确认`);
    const alert = await waitFor('the alert in Adele\'s chat', () =>
      h.connector.messagesTo('a:personal-adele').flatMap((m) => (m.attachments ?? []).map((a: any) => a.content))[0]);
    assert.match(cardText(alert), /修改人：Alex Wilber/);
    assert.match(cardText(alert), /潜在客户 → 资格确认/);
  });

  it('one deal is "1 open deal"; the chart labels carry the money format of the rest of the card, in both languages', async () => {
    await h.press('deal.create', { ...contosoForm, value: '1,200,000' }, { as: 'patti' });
    const en = (await h.say('my deals', { as: 'patti' })).cards[0];
    assert.match(cardText(en), /^1 open deal · \$1,200,000$/m);
    const chart = en.body.find((e: any) => e.type === 'Chart.VerticalBar');
    assert.deepEqual(chart.data.map((d: any) => d.x), ['Prospect · $1.2M']);
    const zh = (await h.say('我的商机', { as: 'patti', locale: 'zh-CN' })).cards[0];
    assert.deepEqual(zh.body.find((e: any) => e.type === 'Chart.VerticalBar').data.map((d: any) => d.x), ['潜在客户 · US$120万']);
  });

  async function megan() {
    return (await h.store.people.search(TENANT, 'Megan', 1))[0];
  }
});
