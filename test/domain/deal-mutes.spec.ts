import assert from 'node:assert/strict';
import { isMuted, muteChoiceToKeep } from '../../src/domain/deal-mutes';

describe('deal mutes: a person\'s own choice, with legacy lists read only', () => {
  const none = new Map<string, boolean>();

  it('a person is muted by their own choice, or else by the deal\'s legacy list', () => {
    assert.equal(isMuted('megan', [], none), false);
    assert.equal(isMuted('megan', [], new Map([['megan', true]])), true);
    assert.equal(isMuted('megan', ['megan'], none), true, 'a mute stored in the deal before still holds');
    assert.equal(isMuted('megan', ['megan'], new Map([['megan', false]])), false, 'their unmute wins over the list');
    assert.equal(isMuted('adele', ['megan'], new Map([['megan', true]])), false);
  });

  it('keeps a mute; an unmute is kept only to override a legacy list, else forgotten', () => {
    assert.equal(muteChoiceToKeep('megan', [], true), true);
    assert.equal(muteChoiceToKeep('megan', ['megan'], true), true);
    assert.equal(muteChoiceToKeep('megan', [], false), undefined);
    assert.equal(muteChoiceToKeep('megan', ['megan'], false), false);
  });
});
