import assert from 'node:assert/strict';
import type { Command } from '../../src/chat/command';
import { parseApprovalCommand } from '../../src/chat/parse-approval-command';
import { parseCommand } from '../../src/chat/parse-command';

const reads = (typed: string, command: Command) =>
  it(`${JSON.stringify(typed)} → ${JSON.stringify(command)}`, () => assert.deepEqual(parseCommand(typed), command));

describe('reading the approval commands (parseCommand → parseApprovalCommand)', () => {
  describe('approvals here / approvers', () => {
    reads('approvals here', { name: 'approvalsHere' });
    reads('  Approvals   HERE ', { name: 'approvalsHere' });
    reads('approvers', { name: 'approvers' });
    reads('APPROVERS', { name: 'approvers' });
  });

  describe('set approvers <level> <people…> [any|all]', () => {
    reads('set approvers 1 Megan Bowen, Adele Vance any', { name: 'setApprovers', level: '1', people: ['Megan Bowen', 'Adele Vance'], mode: 'any' });
    reads('set approvers director isaiah and patti all', { name: 'setApprovers', level: 'director', people: ['isaiah', 'patti'], mode: 'all' });
    reads('set approvers 2 x', { name: 'setApprovers', level: '2', people: ['x'], mode: undefined });
    reads('Set Approvers  dealDesk  Lynne Robbins  ALL', { name: 'setApprovers', level: 'dealDesk', people: ['Lynne Robbins'], mode: 'all' });
    reads('set approvers 1 megan,adele , isaiah', { name: 'setApprovers', level: '1', people: ['megan', 'adele', 'isaiah'], mode: undefined });
    reads('set approvers 3 meganb@contoso.com and Adele Vance', { name: 'setApprovers', level: '3', people: ['meganb@contoso.com', 'Adele Vance'], mode: undefined });
    reads('set approvers 1 张伟、李娜 any', { name: 'setApprovers', level: '1', people: ['张伟', '李娜'], mode: 'any' });
    // "and" inside a name is not a separator.
    reads('set approvers 1 Sandra Anderson', { name: 'setApprovers', level: '1', people: ['Sandra Anderson'], mode: undefined });
    reads('set approvers', { name: 'usage', of: 'setApprovers' });
    reads('set approvers 1', { name: 'usage', of: 'setApprovers' });
    reads('set approvers 1 , ,', { name: 'usage', of: 'setApprovers' });
  });

  describe('request approval <ref> [note]', () => {
    reads('request approval D-1042', { name: 'requestApproval', ref: 'D-1042', note: '' });
    reads('request approval D-1042 please hurry', { name: 'requestApproval', ref: 'D-1042', note: 'please hurry' });
    reads('Request  Approval  d1042   before quarter end ', { name: 'requestApproval', ref: 'd1042', note: 'before quarter end' });
    reads('request approval 1042', { name: 'requestApproval', ref: '1042', note: '' });
    reads('request approval azure migration', { name: 'requestApproval', ref: 'azure migration', note: '' });
    reads('request approval Azure Migration please hurry', { name: 'requestApproval', ref: 'Azure Migration please hurry', note: '' });
    reads('request approval', { name: 'usage', of: 'requestApproval' });
    reads('  REQUEST APPROVAL  ', { name: 'usage', of: 'requestApproval' });
  });

  describe('approval <ref> (the audit trail)', () => {
    reads('approval D-1042', { name: 'approvalTrail', ref: 'D-1042' });
    reads('APPROVAL   azure migration', { name: 'approvalTrail', ref: 'azure migration' });
    reads('approval', { name: 'usage', of: 'approval' });
  });

  describe('other commands are not taken', () => {
    reads('set D-1042 value 5', { name: 'set', ref: 'D-1042', field: 'value', value: '5' });
    reads('set D-1042 discount 20%', { name: 'set', ref: 'D-1042', field: 'discount', value: '20%' });
    reads('set D-1042 terms none', { name: 'set', ref: 'D-1042', field: 'terms', value: 'none' });
    reads('set D-1042 non-standard terms Net 90 payment', { name: 'set', ref: 'D-1042', field: 'non-standard terms', value: 'Net 90 payment' });
    reads('deal D-1042', { name: 'showDeal', ref: 'D-1042' });

    it('parseApprovalCommand answers undefined for anything else', () => {
      for (const text of ['set D-1042 value 5', 'deal D-1042', 'requests', 'approvalsx', 'request', 'help', 'move D-1 to proof']) {
        assert.equal(parseApprovalCommand(text.toLowerCase(), text), undefined, text);
      }
    });

    it('"approvals" alone is not the trail: it is an unknown command', () => {
      assert.equal(parseCommand('approvals').name, 'unknown');
    });
  });
});
