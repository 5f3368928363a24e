import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommand } from '../../src/chat/parse-command';

const MANIFEST = join(__dirname, '..', '..', 'manifest');
const manifest = JSON.parse(readFileSync(join(MANIFEST, 'manifest.json'), 'utf8'));
const zhCN: Record<string, string> = JSON.parse(readFileSync(join(MANIFEST, 'zh-CN.json'), 'utf8'));

/** Issue 18, item 3: the command menus in Chinese, in full, and each Chinese title is a command DealDesk reads as the English one. */
describe('the manifest\'s command lists in zh-CN', () => {
  const commands = (manifest.bots[0].commandLists as Array<{ commands: Array<{ title: string; description: string }> }>).flatMap((list, i) =>
    list.commands.map((command, j) => ({ command, key: `bots[0].commandLists[${i}].commands[${j}]` })));

  it('every command has a Chinese title and description, with Chinese in it', () => {
    const missing = commands.flatMap(({ key }) => [`${key}.title`, `${key}.description`]).filter((k) => !/\p{Script=Han}/u.test(zhCN[k] ?? ''));
    assert.deepEqual(missing, []);
  });

  for (const { command, key } of commands) {
    it(`${command.title} → ${zhCN[`${key}.title`]}: the Teams menu inserts a command read as the English one`, () => {
      assert.deepEqual(parseCommand(zhCN[`${key}.title`]), parseCommand(command.title));
    });
  }
});
