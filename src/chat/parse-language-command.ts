import type { Command, LanguageChoice } from './command';

const CHOICES: ReadonlyArray<[RegExp, LanguageChoice]> = [
  [/^(zh|zh-cn|zh-hans|cn|chinese|中文|汉语|简体中文|普通话)$/, 'zh-CN'],
  [/^(en|en-us|english|英文|英语)$/, 'en-US'],
  [/^(teams|auto|default|自动|默认|跟随 ?teams)$/, 'teams'],
];

/** `language [zh-CN|en|teams]` (`语言 中文` arrives here as `language 中文`), or undefined when it is none. */
export function parseLanguageCommand(lower: string): Command | undefined {
  const m = /^(?:language|lang)(?: (.+))?$/.exec(lower);
  if (!m) return undefined;
  if (!m[1]) return { name: 'language' };
  const hit = CHOICES.find(([pattern]) => pattern.test(m[1].trim()));
  return hit ? { name: 'language', choice: hit[1] } : { name: 'usage', of: 'language' };
}
