/**
 * Search keys: the words of a deal's id, title and account as exact strings an index can match, so the compose-box
 * search asks "does the deal carry this key" (one indexed lookup) instead of "does any text contain this fragment"
 * (a look at every deal of the tenant).
 *
 * Text is NFKC-normalised and lower-cased, then cut into words: runs of letters, digits and marks. A word gives
 * each of its prefixes from 2 to KEY_LENGTH_MAX characters (`azure` → az, azu, azur, azure); a one-character word
 * gives itself (`D-1042` → d, 10, 104, 1042). Chinese and Japanese are written without spaces: a run of Han, kana
 * gives each of its characters and each pair of neighbours (`迁移评估` → 迁, 移, 评, 估, 迁移, 移评, 评估).
 *
 * A query is cut the same way; each of its words becomes the key that must be present: a word's first
 * KEY_LENGTH_MAX characters, a CJK run's characters (one) or pairs (longer). So what is found is a deal where every
 * word of the query starts a word of its id, title or account, and every CJK run appears (pair by pair).
 */

/** Longer prefixes add bytes to every deal and tell almost nothing apart: 12 characters name a word well enough. */
export const KEY_LENGTH_MAX = 12;
/** A query's keys beyond these (longest first) are not asked for: each is one more index lookup. */
export const QUERY_KEYS_MAX = 6;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
/** A CJK run, or a run of other letters, digits and marks. */
const WORDS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{N}\p{M}])+/gu;

const normalised = (text: string): string => text.normalize('NFKC').toLowerCase();

/** The words of a text, as searched: lower-cased, CJK runs apart. */
export const searchWords = (text: string): string[] => normalised(text).match(WORDS) ?? [];

const isCjk = (word: string): boolean => CJK.test(word);

function wordKeys(word: string, into: Set<string>): void {
  const chars = [...word];
  if (isCjk(word)) {
    chars.forEach((c, i) => {
      into.add(c);
      if (i + 1 < chars.length) into.add(c + chars[i + 1]);
    });
    return;
  }
  if (chars.length === 1) into.add(word);
  for (let n = 2; n <= Math.min(chars.length, KEY_LENGTH_MAX); n++) into.add(chars.slice(0, n).join(''));
}

/** Every key of the texts (a deal's id, title, account), each once, in the order first met. */
export function searchKeysOf(...texts: string[]): string[] {
  const keys = new Set<string>();
  for (const text of texts) for (const word of searchWords(text)) wordKeys(word, keys);
  return [...keys];
}

/** The keys a deal must carry to match the query, most telling (longest) first; none for a query without words. */
export function queryKeys(query: string): string[] {
  const keys = new Set<string>();
  for (const word of searchWords(query)) {
    const chars = [...word];
    if (!isCjk(word)) keys.add(chars.slice(0, KEY_LENGTH_MAX).join(''));
    else if (chars.length === 1) keys.add(word);
    else for (let i = 0; i + 1 < chars.length; i++) keys.add(chars[i]! + chars[i + 1]);
  }
  return [...keys].sort((a, b) => [...b].length - [...a].length).slice(0, QUERY_KEYS_MAX);
}
