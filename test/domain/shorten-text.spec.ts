import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cutToFit, ELLIPSIS, shorten } from '../../src/domain/shorten-text';

/** Whether a string holds a surrogate without its other half. */
const hasLoneSurrogate = (s: string): boolean => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
const graphemesOf = (s: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(s)].map((g) => g.segment);

const FAMILY = '👨‍👩‍👧‍👦'; // 11 code units, one grapheme (ZWJ sequence)
const FLAG = '🇨🇳'; // 4 code units: two regional indicators
const E_ACUTE = 'e\u0301'; // e + combining acute
const GRINNING = '😀'; // a surrogate pair

describe('shorten: user text cut on grapheme boundaries, with one ellipsis', () => {
  it('leaves text that fits as it is, and adds nothing', () => {
    assert.equal(shorten('Contoso Bank', 12), 'Contoso Bank');
    assert.equal(shorten('', 5), '');
    assert.equal(cutToFit('Contoso', 7), 'Contoso');
  });

  it('cuts plain text to max code units, the ellipsis included', () => {
    assert.equal(shorten('Azure migration assessment', 10), 'Azure mig…');
    assert.equal(shorten('Azure migration assessment', 10).length, 10);
    assert.equal(cutToFit('Azure migration assessment', 10), 'Azure migr');
  });

  it('never splits a surrogate pair (the lone \\ud83d that went out in a button title)', () => {
    const title = `${'a'.repeat(58)}${GRINNING}tail`; // the emoji straddles 60
    assert.equal(shorten(title, 60), `${'a'.repeat(58)}${ELLIPSIS}`);
    assert.equal(shorten(title, 61), `${'a'.repeat(58)}${GRINNING}${ELLIPSIS}`);
    assert.equal(cutToFit(title, 59), 'a'.repeat(58));
    assert.equal(hasLoneSurrogate(shorten(title, 60)), false);
  });

  it('keeps a ZWJ family, a flag and a letter with its combining mark whole, or leaves them out', () => {
    assert.equal(shorten(`ab${FAMILY}cd`, 8), `ab${ELLIPSIS}`);
    assert.equal(shorten(`ab${FAMILY}cd`, 14), `ab${FAMILY}${ELLIPSIS}`);
    assert.equal(shorten(`${FLAG}${FLAG}`, 7), `${FLAG}${ELLIPSIS}`);
    assert.equal(shorten(`${FLAG}${FLAG}`, 4), ELLIPSIS, 'half a flag would read as a letter in a box');
    assert.equal(shorten(`caf${E_ACUTE} noir`, 5), `caf${ELLIPSIS}`, 'the accent is not left behind');
    assert.equal(shorten(`caf${E_ACUTE} noir`, 6), `caf${E_ACUTE}${ELLIPSIS}`);
  });

  it('cuts CJK at the edge by whole characters', () => {
    assert.equal(shorten('上海银行数据中心迁移评估', 6), '上海银行数…');
    assert.equal(shorten('𠀀𠀁𠀂', 4), `𠀀${ELLIPSIS}`, 'CJK extension B characters are surrogate pairs');
  });

  it('a limit below the ellipsis gives nothing rather than a broken character', () => {
    assert.equal(shorten(GRINNING, 1), ELLIPSIS);
    assert.equal(shorten('abc', 0), '');
    assert.equal(cutToFit(GRINNING, 1), '');
  });

  it('any text: at most max code units, a prefix of whole graphemes, and the ellipsis exactly when cut', () => {
    const pieces = fc.constantFrom('a', 'Z', ' ', '上', '𠀀', GRINNING, FAMILY, FLAG, E_ACUTE, '\u0301', '\ud83d', '👍🏽', '#️⃣');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }).map((p) => p.join('')), fc.integer({ min: 0, max: 80 }), (text, max) => {
        for (const [out, mark] of [[shorten(text, max), ELLIPSIS], [cutToFit(text, max), '']] as const) {
          assert.ok(out.length <= max || (text.length <= max && out === text));
          if (text.length <= max) assert.equal(out, text);
          else if (max < mark.length) assert.equal(out, '');
          else {
            assert.ok(out.endsWith(mark));
            const kept = mark ? out.slice(0, -mark.length) : out;
            const whole = graphemesOf(text);
            const keptGraphemes = graphemesOf(kept);
            assert.deepEqual(whole.slice(0, keptGraphemes.length).join(''), kept, 'a prefix of whole graphemes');
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
