import assert from 'node:assert/strict';
import { parseCommand } from '../../src/chat/parse-command';
import { helpCard } from '../../src/cards/help-card';
import { enUS, translator, zhCN } from '../../src/i18n/locale';
import { shownText } from '../support/shown-text';

type Node = Record<string, any>;
/** The syntax column of the help card: its monospace TextBlocks, as a Teams client shows them. */
const syntaxLines = (card: unknown, out: string[] = []): string[] => {
  if (Array.isArray(card)) card.forEach((n) => syntaxLines(n, out));
  else if (card && typeof card === 'object') {
    if ((card as Node).type === 'TextBlock' && (card as Node).fontType === 'Monospace') out.push(shownText((card as Node).text));
    Object.values(card).forEach((v) => syntaxLines(v, out));
  }
  return out;
};

/** One sample per placeholder, the same in both languages, so both lines must read as the same command. */
const SAMPLES: Record<string, string[]> = {
  deal: ['D-1001'], 商机: ['D-1001'], 编号: ['D-1001'], 标题片段: ['Azure landing zone'],
  stage: ['solution'], 阶段: ['solution'], note: ['call done'], 备注: ['call done'], reason: ['budget cut'], 原因: ['budget cut'],
  field: ['value'], 字段: ['value'], value: ['2m'], 值: ['2m'],
  person: ['Megan Bowen', 'Adele Vance'], 人员: ['Megan Bowen', 'Adele Vance'], manager: ['Lynne Robbins'], 经理: ['Lynne Robbins'],
  role: ['Architect'], 角色: ['Architect'], name: ['Contoso Bank'], 名称: ['Contoso Bank'], 客户: ['Contoso Bank'],
  level: ['1'], 层级: ['1'], date: ['2027-05-31'], 日期: ['2027-05-31'], amount: ['1.5m', '500k'], 金额: ['1.5m', '500k'],
};

/** Fills each `<placeholder>` with its samples in turn (a line with two <person>s gets two people). */
function fill(command: string): string {
  const used: Record<string, number> = {};
  return command.replace(/<([^<>]+)>/g, (_, name: string) => {
    const samples = SAMPLES[name];
    assert.ok(samples, `a sample for <${name}> in "${command}"`);
    const i = used[name] ?? 0;
    used[name] = i + 1;
    return samples[i % samples.length];
  });
}

/**
 * The ways one command of a syntax line can be typed: `[optional]` parts left out or written, and for `a|b` each
 * alternative in turn (so the English and Chinese lines must list them in the same order: won|lost, 赢单|丢单).
 */
function variants(command: string): string[] {
  const alternatives = Math.max(1, ...[...command.matchAll(/\S*\|\S*/g)].map((m) => m[0].split('|').length));
  const out: string[] = [];
  for (const withOptional of [false, true]) {
    for (let i = 0; i < alternatives; i++) {
      const text = command
        // `[note]`, `[备注]`: a bare word in brackets is a placeholder too.
        .replace(/\[([^\]]*)\]/g, (_, inner: string) => (withOptional ? (SAMPLES[inner] ? `<${inner}>` : inner) : ''))
        .replace(/[^\s[\]]*\|[^\s[\]]*/g, (m) => { const alts = m.split('|'); return alts[Math.min(i, alts.length - 1)]; })
        .replace(/\s+/g, ' ')
        .trim();
      out.push(fill(text));
    }
  }
  return [...new Set(out)];
}

const commandsOf = (line: string) => line.split(/\s+·\s+/);
const en = syntaxLines(helpCard(translator('en-US')));
const zh = syntaxLines(helpCard(translator('zh-CN')));

/** Issue 18, item 3: the zh-CN help card shows the Chinese forms the parser reads, each meaning what the English line means. */
describe('the zh-CN help card shows Chinese commands that read as their English counterparts (parseCommand)', () => {
  it('both cards list the same commands, and no zh-CN syntax line starts with an English word', () => {
    assert.equal(zh.length, en.length);
    assert.ok(en.length >= 17, 'every command of the help card');
    for (let i = 0; i < en.length; i++) assert.equal(commandsOf(zh[i]).length, commandsOf(en[i]).length, `${en[i]} / ${zh[i]}`);
    for (const command of zh.flatMap(commandsOf)) assert.doesNotMatch(command, /^[A-Za-z]/, `${command} is written in Chinese`);
  });

  en.forEach((enLine, i) => {
    const zhLine = zh[i];
    it(`${zhLine}  ⇔  ${enLine}`, () => {
      commandsOf(enLine).forEach((enCommand, j) => {
        const zhCommand = commandsOf(zhLine)[j];
        const [enTyped, zhTyped] = [variants(enCommand), variants(zhCommand)];
        assert.equal(zhTyped.length, enTyped.length, `${zhCommand}: as many ways to type it as ${enCommand}`);
        enTyped.forEach((typed, k) => {
          const meant = parseCommand(typed);
          assert.notEqual(meant.name, 'unknown', `${typed} is a command`);
          assert.notEqual(meant.name, 'usage', `${typed} is complete`);
          assert.deepEqual(parseCommand(zhTyped[k]), meant, `"${zhTyped[k]}" reads as "${typed}"`);
        });
      });
    });
  });

  it('every command a zh-CN message tells the user to type is written in Chinese and is read as a command', () => {
    // Left in English on purpose: the `language …` forms listed next to `语言 …`, and the suggestion, which echoes a command.
    const english = ['language zh-CN', 'language en', 'language teams', '{suggestion}'];
    for (const [key, text] of Object.entries(zhCN)) {
      for (const [, span] of (text ?? '').matchAll(/`([^`]+)`/g)) {
        if (english.includes(span) || !(key in enUS)) continue;
        assert.doesNotMatch(span, /^[A-Za-z]/, `${key}: \`${span}\` is written in Chinese`);
        const typed = fill(span.replace(/\{\w+\}/g, 'D-1001').replace(/\[[^\]]*\]/g, '').replace(/<人员…>/g, 'Megan Bowen').replace(/\s*…$/, ' D-1001')).trim();
        assert.notEqual(parseCommand(typed).name, 'unknown', `${key}: \`${span}\` (typed "${typed}") is a command`);
      }
    }
  });
});
