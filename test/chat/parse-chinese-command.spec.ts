import assert from 'node:assert/strict';
import type { Command } from '../../src/chat/command';
import { parseCommand } from '../../src/chat/parse-command';

const reads = (typed: string, command: Command) =>
  it(`${JSON.stringify(typed)} → ${JSON.stringify(command)}`, () => assert.deepEqual(parseCommand(typed), command));

/** Issue 18, item 3: every command has a Chinese form, mixed Chinese and English reads the same, spaces are optional. */
describe('reading a command typed in Chinese or mixed (parseCommand)', () => {
  describe('the first three', () => {
    reads('帮助', { name: 'help' });
    reads('？', { name: 'help' });
    reads('新建商机', { name: 'newDeal' });
    reads('我的商机', { name: 'pipeline' });
  });

  describe('商机 <商机>', () => {
    reads('商机 D-1001', { name: 'showDeal', ref: 'D-1001' });
    reads('商机D-1001', { name: 'showDeal', ref: 'D-1001' });
    reads('查看 迁移项目', { name: 'showDeal', ref: '迁移项目' });
    reads('商机 Ｄ－１００１', { name: 'showDeal', ref: 'D-1001' });
    reads('商机', { name: 'usage', of: 'deal' });
  });

  describe('推进 <商机> 到 <阶段> [备注], and mixed', () => {
    reads('推进 D-1001 到 方案', { name: 'move', ref: 'D-1001', target: '方案', note: '' });
    reads('推进D-1001到方案', { name: 'move', ref: 'D-1001', target: '方案', note: '' });
    reads('推进D-1001到方案客户已确认需求', { name: 'move', ref: 'D-1001', target: '方案', note: '客户已确认需求' });
    reads('推进 D-1001 到 资格确认 已和 BDM 通话', { name: 'move', ref: 'D-1001', target: '资格确认', note: '已和 BDM 通话' });
    reads('move D-1001 到 方案', { name: 'move', ref: 'D-1001', target: '方案', note: '' });
    reads('推进 D-1001 to solution', { name: 'move', ref: 'D-1001', target: 'solution', note: '' });
    reads('推进 到家迁移 到 验证', { name: 'move', ref: '到家迁移', target: '验证', note: '' });
    reads('推进 D-1001 到 赢单', { name: 'move', ref: 'D-1001', target: '赢单', note: '' });
    reads('move azure to cloud to solution', { name: 'move', ref: 'azure to cloud', target: 'solution', note: '' });
    reads('推进 D-1001', { name: 'usage', of: 'move' });
    reads('推进', { name: 'usage', of: 'move' });
  });

  describe('设置 <商机> <字段> <值>', () => {
    reads('设置 D-1001 金额 120万', { name: 'set', ref: 'D-1001', field: '金额', value: '120万' });
    reads('设置D-1001金额120万', { name: 'set', ref: 'D-1001', field: '金额', value: '120万' });
    reads('设置 D-1001 金额１２０万', { name: 'set', ref: 'D-1001', field: '金额', value: '120万' });
    reads('set D-1001 金额 1.2亿', { name: 'set', ref: 'D-1001', field: '金额', value: '1.2亿' });
    reads('设置 D-1001 value 2m', { name: 'set', ref: 'D-1001', field: 'value', value: '2m' });
    reads('设置 D-1001 预计关闭日期 2027年3月31日', { name: 'set', ref: 'D-1001', field: '预计关闭日期', value: '2027年3月31日' });
    reads('修改 大客户迁移 下一步 拜访客户，确认预算', { name: 'set', ref: '大客户迁移', field: '下一步', value: '拜访客户，确认预算' });
    reads('设置 D-1001 币种 人民币', { name: 'set', ref: 'D-1001', field: '币种', value: '人民币' });
    reads('设置', { name: 'usage', of: 'set' });
  });

  describe('关闭 <商机> 赢单|丢单 [原因]', () => {
    reads('关闭 D-1001 赢单', { name: 'close', ref: 'D-1001', outcome: 'won', reason: '' });
    reads('关闭D-1001赢单', { name: 'close', ref: 'D-1001', outcome: 'won', reason: '' });
    reads('关闭 D-1001 丢单 预算被砍', { name: 'close', ref: 'D-1001', outcome: 'lost', reason: '预算被砍' });
    reads('close D-1001 丢单 预算被砍', { name: 'close', ref: 'D-1001', outcome: 'lost', reason: '预算被砍' });
    reads('关闭 D-1001 won', { name: 'close', ref: 'D-1001', outcome: 'won', reason: '' });
    reads('关闭 D-1001', { name: 'usage', of: 'close' });
  });

  describe('team, follow, mute, alerts', () => {
    reads('团队 D-1001', { name: 'team', ref: 'D-1001' });
    reads('添加 Megan Bowen 到 D-1001 作为 架构师', { name: 'addMember', person: 'Megan Bowen', ref: 'D-1001', role: '架构师' });
    reads('添加张三到D-1001', { name: 'addMember', person: '张三', ref: 'D-1001', role: '' });
    reads('add 张三 到 D-1001 as Architect', { name: 'addMember', person: '张三', ref: 'D-1001', role: 'Architect' });
    reads('移除 张三 从 D-1001', { name: 'removeMember', person: '张三', ref: 'D-1001' });
    reads('从 D-1001 移除 张三', { name: 'removeMember', person: '张三', ref: 'D-1001' });
    reads('关注 D-1001', { name: 'follow', ref: 'D-1001' });
    reads('关注 客户 Contoso', { name: 'follow', account: 'Contoso' });
    reads('取消关注 D-1001', { name: 'unfollow', ref: 'D-1001' });
    reads('关注列表', { name: 'following' });
    reads('静音 D-1001', { name: 'mute', ref: 'D-1001', muted: true });
    reads('取消静音 D-1001', { name: 'mute', ref: 'D-1001', muted: false });
    reads('提醒 关', { name: 'alertsSwitch', on: false });
    reads('提醒 开启', { name: 'alertsSwitch', on: true });
    reads('提醒 D-1001', { name: 'alertStatus', ref: 'D-1001' });
  });

  describe('approvals', () => {
    reads('审批 D-1001', { name: 'approvalTrail', ref: 'D-1001' });
    reads('申请审批 D-1001 请尽快', { name: 'requestApproval', ref: 'D-1001', note: '请尽快' });
    reads('申请审批D-1001', { name: 'requestApproval', ref: 'D-1001', note: '' });
    reads('审批人', { name: 'approvers' });
    reads('审批发到这里', { name: 'approvalsHere' });
    reads('设置审批人 1 Megan Bowen，Adele Vance 任一', { name: 'setApprovers', level: '1', people: ['Megan Bowen', 'Adele Vance'], mode: 'any' });
  });

  describe('follow-ups, quota, history, reassign', () => {
    reads('里程碑 D-1001 启动会 完成', { name: 'followUp', command: { name: 'milestone', ref: 'D-1001', milestone: '启动会', arg: { kind: 'done' } } });
    reads('交付计划 D-1001', { name: 'followUp', command: { name: 'plan', ref: 'D-1001' } });
    reads('满意度 D-1001', { name: 'followUp', command: { name: 'csat', ref: 'D-1001' } });
    reads('客户 Contoso', { name: 'followUp', command: { name: 'account', account: 'Contoso' } });
    reads('设置经理 张三 为 李四', { name: 'quota', command: { kind: 'setManager', person: '张三', manager: '李四' } });
    reads('我的经理', { name: 'quota', command: { kind: 'showManager' } });
    reads('历史 D-1001', { name: 'history', ref: 'D-1001' });
    reads('转交 D-1001 给 李四', { name: 'reassign', command: { kind: 'deal', ref: 'D-1001', person: '李四' } });
  });

  describe('language', () => {
    reads('语言 中文', { name: 'language', choice: 'zh-CN' });
    reads('语言中文', { name: 'language', choice: 'zh-CN' });
    reads('language zh-CN', { name: 'language', choice: 'zh-CN' });
    reads('Language EN', { name: 'language', choice: 'en-US' });
    reads('语言 英文', { name: 'language', choice: 'en-US' });
    reads('语言 自动', { name: 'language', choice: 'teams' });
    reads('语言', { name: 'language' });
    reads('language klingon', { name: 'usage', of: 'language' });
  });
});
