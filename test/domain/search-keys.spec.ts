import assert from 'node:assert/strict';
import { queryKeys, searchKeysOf } from '../../src/domain/search-keys';
import { TITLE_MAX, ACCOUNT_MAX } from '../../src/domain/deal-fields';

const bytes = (keys: string[]) => Buffer.byteLength(JSON.stringify(keys));

describe('search keys (what the compose-box search matches a deal by)', () => {
  it('a word gives its prefixes from 2 characters, a one-character word itself, CJK its characters and pairs', () => {
    assert.deepEqual(searchKeysOf('D-1042'), ['d', '10', '104', '1042']);
    assert.deepEqual(searchKeysOf('Ａzure'), ['az', 'azu', 'azur', 'azure'], 'NFKC: a full-width letter is a letter');
    assert.deepEqual(searchKeysOf('迁移评估'), ['迁', '迁移', '移', '移评', '评', '评估', '估']);
    assert.equal(searchKeysOf('internationalization').at(-1), 'internationa', 'at most 12 characters');
  });

  it('a query asks for each word (its first 12 characters) and each CJK pair, longest first', () => {
    assert.deepEqual(queryKeys('Azure  迁移评估'), ['azure', '迁移', '移评', '评估']);
    assert.deepEqual(queryKeys('internationalisation'), ['internationa']);
    assert.deepEqual(queryKeys("' OR 1=1 --"), ['or', '1']);
    assert.deepEqual(queryKeys('-- !!'), []);
  });

  it('stays bounded at the longest title and account a deal may have', () => {
    const typical = searchKeysOf('D-1042', 'Azure migration assessment', 'Contoso Bank');
    assert.deepEqual([typical.length, bytes(typical)], [34, 261]);
    const han = (n: number, from: number) => Array.from({ length: n }, (_, i) => String.fromCodePoint(0x4e00 + from + i)).join('');
    const cjk = searchKeysOf('D-999999999', han(TITLE_MAX, 0), han(ACCOUNT_MAX, 1000));
    assert.ok(cjk.length <= 2 * (TITLE_MAX + ACCOUNT_MAX) + 9 && bytes(cjk) < 5_000, `${cjk.length} keys, ${bytes(cjk)} bytes`);
  });
});
