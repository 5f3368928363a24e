import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { zhCN } from '../../src/i18n/locale';
import { PLAYGROUND_IDENTITY, PLAYGROUND_USERS } from '../../src/local/playground';
import type { DealDesk } from '../../src/start-dealdesk';
import { MemoryLogger } from '../support/memory-logger';
import type { Driver } from './support/playground-driver';
import { startTwoUsers, type TwoUsers } from './support/two-users';

const ROOT = join(__dirname, '..', '..');
/** UPDATE_SCREENSHOTS=1 writes the README's Chinese screenshots (docs/screenshots/); otherwise they go to test-results/. */
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'test-results', 'playground');
/** Without the log panel, as the demo walk takes its screenshots. */
const shot = async (driver: Driver, name: string) => {
  mkdirSync(SHOTS, { recursive: true });
  await driver.page.screenshot({ path: join(SHOTS, `zh-${name}.png`), clip: { x: 0, y: 0, width: 1060, height: 1000 } });
};
const TENANT = PLAYGROUND_IDENTITY.tenantId;

/**
 * Issue 18, item 3: the first minutes of a Beijing SE, entirely in Chinese, in the Agents Playground. The playground
 * sends every activity with `locale: "en-US"` (hard-coded in its activity generators; its config file has no locale),
 * so the users first choose Chinese with `语言 中文`, which DealDesk stores with the person. Then Alex asks for help,
 * creates a deal on the form, moves it through a stage gate by filling the evidence card, sees his deals, adds Megan
 * to the deal team, requests approval (Megan, the level-1 approver, approves in her own playground's personal chat: a playground shows
 * only its current user, PLAYGROUND-NOTES.md "Two users"), and closes it Won. Every command typed is Chinese.
 */
describe('the first minutes in Chinese, end to end in the Agents Playground (two users, headless Chromium)', function () {
  this.timeout(180_000);
  const logger = new MemoryLogger();
  let users: TwoUsers;
  let dealdesk: DealDesk;
  let alex: Driver;
  let megan: Driver;
  const deal = async () => (await dealdesk.store.deals.get(TENANT, 'D-1001'))!.deal;

  before(async () => {
    // ADMINS unset: in local mode the playground's Alex Wilber is the admin.
    users = await startTwoUsers({ ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '100' }, logger);
    ({ dealdesk, alex, megan } = users);
  });

  after(async () => {
    await users?.stop();
  });

  it('both choose Chinese (语言 中文); Alex asks for help (帮助) and gets the Chinese card with the Chinese commands', async () => {
    await megan.openPersonalChat();
    await megan.send('语言 中文');
    await megan.waitForText(/今后我用中文回复你/);
    await alex.openPersonalChat();
    await alex.send('语言 中文');
    await alex.waitForText(/今后我用中文回复你/);
    assert.equal((await dealdesk.store.people.get(TENANT, PLAYGROUND_USERS.alex.aadObjectId))?.language, 'zh-CN');

    await alex.send('帮助');
    await alex.waitForText('DealDesk 能做什么');
    const shown = await alex.cardText('DealDesk 能做什么');
    assert.ok(shown.includes('推进 <商机> 到 <阶段> [备注]') && shown.includes('添加 <人员> 到 <商机> [作为 <角色>]'), shown);
    for (const key of ['help.syntax.move', 'help.syntax.close', 'help.syntax.team', 'help.syntax.approval'] as const) {
      assert.ok(shown.includes(zhCN[key]!.split(/\s+·\s+/)[0]), `${zhCN[key]} is shown, placeholders included`);
    }
    await alex.page.getByText('DealDesk 能做什么').last().scrollIntoViewIfNeeded();
    await shot(alex, '0-help-alex');
  });

  it('新建商机: Alex fills the Chinese form and creates D-1001', async () => {
    await alex.send('新建商机');
    await alex.waitForText(/^NWS 金额/);
    await alex.fillInput('客户', '北京银行');
    await alex.fillInput('标题', '核心系统迁移');
    await alex.fillInput('服务线', ['咨询服务']);
    await alex.fillInput('NWS 金额', '200万');
    await alex.fillInput('预计关闭日期', '2027-03-31');
    await alex.clickButton('创建', { last: true });
    await alex.waitForText('已创建 D-1001。');
    const created = await deal();
    assert.equal(created.title, '核心系统迁移');
    assert.equal(created.value.amount, 2_000_000);
  });

  it('推进 … 到 方案: the stage gate asks for the evidence on a Chinese card; filled, the move completes', async () => {
    await alex.send('推进 D-1001 到 资格确认');
    await alex.waitForText('已推进到资格确认。');
    await alex.send('推进 D-1001 到 方案');
    await alex.waitForText('将 D-1001 推进到方案');
    await alex.fillInput('业务决策人 (BDM)', '王总，首席运营官');
    await alex.fillInput('技术决策人 (TDM)', '李工，首席技术官');
    await alex.fillInput('预算', '已批准 200 万美元');
    await alex.clickButton('推进到方案', { last: true });
    await alex.waitForText('已推进到方案。');
    const moved = await deal();
    assert.equal(moved.stage, 'Solution');
    assert.deepEqual(moved.evidence, { bdm: '王总，首席运营官', tdm: '李工，首席技术官', budget: '已批准 200 万美元' });
  });

  it('我的商机: the pipeline in Chinese', async () => {
    await alex.send('我的商机');
    await alex.waitForText('Alex Wilber 的管道');
    await alex.waitForText(/1 个未关闭商机/);
  });

  it('添加 Megan Bowen 到 D-1001 作为 架构师', async () => {
    await alex.send('添加 Megan Bowen 到 D-1001 作为 架构师');
    await alex.waitForText('已添加 Megan Bowen。');
    assert.deepEqual((await deal()).team.map((m) => [m.person.name, m.role]), [['Megan Bowen', '架构师']]);
  });

  it('审批发到这里, 设置审批人, 申请审批: Megan is asked 1:1 in Chinese and approves there', async () => {
    await alex.openChannel('General');
    await alex.sendInChannel('审批发到这里');
    await alex.waitForText('此频道现为审批频道。');
    await alex.openPersonalChat();
    await alex.send('设置审批人 1 Megan Bowen 任一');
    await alex.waitForText('审批人已更新。');

    await alex.send('申请审批 D-1001 下周签约');
    await alex.waitForText('已提交审批，审批人会在审批频道中处理。');
    // The approvals channel's post is in the channel's language (the playground's en-US), not a person's: Megan
    // decides on the ask DealDesk sends to her personal chat, in the language she chose.
    await megan.waitForText(/^请你在 .+ 层级审批。$/, 20_000);
    await megan.waitForText('审批申请 · D-1001 · 北京银行 · 第 1 轮');
    await megan.fillInput('意见（拒绝或要求修改时必填）', '毛利已核实，同意');
    await megan.clickButton('批准', { last: true });
    await megan.waitForText(/^已批准$/);
    await shot(megan, '2-approved-megan');
    assert.equal((await deal()).approval?.status, 'approved');
  });

  it('关闭 D-1001 赢单: Alex hears of the approval in Chinese and closes the deal Won; the deal card is Chinese', async () => {
    await alex.waitForText('D-1001 已批准，可以赢单关闭。', 20_000);
    await alex.send('关闭 D-1001 赢单');
    await alex.waitForText('将 D-1001 推进到已赢单');
    await alex.fillInput('方案概要', '分三批迁移核心系统');
    await alex.fillInput('建议书 / SOW 编号', 'SOW-2027-014');
    await alex.fillInput('最终 NWS 金额', '200万');
    await alex.clickButton('推进到已赢单', { last: true });
    await alex.waitForText('已推进到已赢单。');
    const closed = await deal();
    assert.equal(closed.outcome, 'Won');
    assert.equal(closed.evidence.proposalRef, 'SOW-2027-014');
    assert.equal(closed.value.amount, 2_000_000);
    await alex.send('商机 D-1001');
    await alex.waitForText(/D-1001 · 已赢单/);
    await alex.page.getByText(/D-1001 · 已赢单/).last().scrollIntoViewIfNeeded();
    await shot(alex, '1-deal-alex');
    assert.deepEqual(logger.errors(), []);
  });
});
