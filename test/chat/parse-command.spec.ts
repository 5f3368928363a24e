import assert from 'node:assert/strict';
import type { Command } from '../../src/chat/command';
import { normaliseText, parseCommand } from '../../src/chat/parse-command';

const reads = (typed: string, command: Command) =>
  it(`${JSON.stringify(typed)} → ${JSON.stringify(command)}`, () => assert.deepEqual(parseCommand(typed), command));

describe('reading a typed command (parseCommand)', () => {
  describe('help', () => {
    for (const typed of ['help', 'HELP', '  Help  ', '?', 'hi', 'Hello', 'hey', 'start', '帮助', '你好']) reads(typed, { name: 'help' });
  });

  describe('new deal', () => {
    for (const typed of ['new deal', 'NEW   DEAL', ' New Deal ', 'new', 'create deal', 'add deal', '新建', '新建商机']) reads(typed, { name: 'newDeal' });
  });

  describe('my deals / pipeline', () => {
    for (const typed of ['my deals', 'My  Deals', 'pipeline', 'PIPELINE', 'my pipeline', 'deals', '我的商机', '管道']) reads(typed, { name: 'pipeline' });
  });

  describe('deal <ref>', () => {
    reads('deal D-1042', { name: 'showDeal', ref: 'D-1042' });
    reads('DEAL   d-1042', { name: 'showDeal', ref: 'd-1042' });
    reads('deal Azure   migration', { name: 'showDeal', ref: 'Azure migration' });
    reads('show D-7', { name: 'showDeal', ref: 'D-7' });
    reads('open 1042', { name: 'showDeal', ref: '1042' });
    reads('D-1042', { name: 'showDeal', ref: 'D-1042' });
    reads(' d1042 ', { name: 'showDeal', ref: 'd1042' });
    reads('deal', { name: 'usage', of: 'deal' });
  });

  describe('move <ref> to <stage> [note]', () => {
    reads('  MOVE  d-1042   TO  Proof  BDM agreed ', { name: 'move', ref: 'd-1042', target: 'Proof', note: 'BDM agreed' });
    reads('move D-1042 to qualify', { name: 'move', ref: 'D-1042', target: 'qualify', note: '' });
    reads('move azure migration to solution', { name: 'move', ref: 'azure migration', target: 'solution', note: '' });
    reads('move D-1 to closed won', { name: 'move', ref: 'D-1', target: 'closed won', note: '' });
    reads('move D-1 to Close Lost budget cut', { name: 'move', ref: 'D-1', target: 'Close Lost', note: 'budget cut' });
    reads('move D-1 to qualify back to scoping after the call', { name: 'move', ref: 'D-1', target: 'qualify', note: 'back to scoping after the call' });
    reads('advance D-1 to proof', { name: 'move', ref: 'D-1', target: 'proof', note: '' });
    reads('move D-1', { name: 'usage', of: 'move' });
    reads('move D-1 to', { name: 'usage', of: 'move' });
    reads('move', { name: 'usage', of: 'move' });
  });

  describe('set <ref> <field> <value>', () => {
    reads('set D-1042 close date 2027-03-31', { name: 'set', ref: 'D-1042', field: 'close date', value: '2027-03-31' });
    reads('set azure migration value 2m', { name: 'set', ref: 'azure migration', field: 'value', value: '2m' });
    reads('SET  D-1042  Value   1.5m', { name: 'set', ref: 'D-1042', field: 'value', value: '1.5m' });
    reads('set D-1 next step call the CFO on Monday', { name: 'set', ref: 'D-1', field: 'next step', value: 'call the CFO on Monday' });
    reads('set D-1 probability 60%', { name: 'set', ref: 'D-1', field: 'probability', value: '60%' });
    reads('set D-1 solution outline landing zone in 3 waves', { name: 'set', ref: 'D-1', field: 'solution outline', value: 'landing zone in 3 waves' });
    reads('set D-1 currency rmb', { name: 'set', ref: 'D-1', field: 'currency', value: 'rmb' });
    reads('update D-1 prob 60', { name: 'set', ref: 'D-1', field: 'prob', value: '60' });
    reads('set D-1042 colour blue', { name: 'set', ref: 'D-1042', field: 'colour', value: 'blue' });
    reads('set D-1042', { name: 'usage', of: 'set' });
    reads('set D-1042 value', { name: 'usage', of: 'set' }); // a field without a value gets the usage hint
    reads('set', { name: 'usage', of: 'set' });
  });

  describe('close <ref> won|lost [reason]', () => {
    reads('close D-1 won', { name: 'close', ref: 'D-1', outcome: 'won', reason: '' });
    reads('close D-1 lost too expensive', { name: 'close', ref: 'D-1', outcome: 'lost', reason: 'too expensive' });
    reads('CLOSE  D-1  WON', { name: 'close', ref: 'D-1', outcome: 'won', reason: '' });
    reads('close D-1 win', { name: 'close', ref: 'D-1', outcome: 'won', reason: '' });
    reads('close D-1 lose went with a competitor', { name: 'close', ref: 'D-1', outcome: 'lost', reason: 'went with a competitor' });
    reads('close azure migration lost we lost to a competitor', { name: 'close', ref: 'azure migration', outcome: 'lost', reason: 'we lost to a competitor' });
    reads('close D-1', { name: 'usage', of: 'close' });
    reads('close D-1 maybe', { name: 'usage', of: 'close' });
    reads('close', { name: 'usage', of: 'close' });
  });

  describe('what Teams delivers in channels', () => {
    reads('deal&nbsp;D-1042', { name: 'showDeal', ref: 'D-1042' });
    reads('<p>help</p>', { name: 'help' });
    reads('<div><p>move&nbsp;D-1042 to <b>proof</b></p></div>', { name: 'move', ref: 'D-1042', target: 'proof', note: '' });
    reads('set D-1 next step R&amp;D review', { name: 'set', ref: 'D-1', field: 'next step', value: 'R&D review' });
    reads('\u00a0pipeline\u200b', { name: 'pipeline' });
    reads('\u3000帮助\u3000', { name: 'help' });
    reads('help\r\n', { name: 'help' });

    it('normaliseText folds tags, entities and odd spaces into single spaces', () => {
      assert.equal(normaliseText('<p>close&nbsp;D-1\u00a0lost</p>\n<br/>too&amp;expensive'), 'close D-1 lost too&expensive');
    });
  });

  describe('unknown commands', () => {
    reads('hlep', { name: 'unknown', suggestion: 'help' });
    reads('pipline', { name: 'unknown', suggestion: 'pipeline' });
    reads('helo', { name: 'unknown', suggestion: 'help' });
    reads('moev D-1 to proof', { name: 'unknown', suggestion: 'move' });
    reads('my deels', { name: 'unknown', suggestion: 'my deals' });
    reads('new dael', { name: 'unknown', suggestion: 'new deal' });
    reads('what is the weather', { name: 'unknown', suggestion: undefined });
    reads('delete D-1', { name: 'unknown', suggestion: undefined });
    reads('', { name: 'unknown', suggestion: undefined });
  });
});
