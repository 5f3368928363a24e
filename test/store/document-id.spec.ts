import assert from 'node:assert/strict';
import { documentIdOf, keyOfDocumentId } from '../../src/store/document-id';

describe('documentIdOf', () => {
  it('keeps a safe key as it is (AAD object ids, Teams user ids, delivery ids)', () => {
    for (const key of ['6f1c2a9e-0000-4000-8000-00000000a1e5', '29:1abc-_XYZ', 'D-1001.A3|YWFkLWFsZXg', 'a~b']) {
      assert.equal(documentIdOf(key), key);
      assert.equal(keyOfDocumentId(key), key);
    }
  });

  it('encodes keys Cosmos cannot take, reversibly, into ids without / \\ ? #', () => {
    for (const key of ['a/b', 'a\\b', 'a?b', 'a#b', ' padded', 'tab\there', '~starts-with-tilde', '', '19:x/y@thread.v2']) {
      const id = documentIdOf(key);
      assert.doesNotMatch(id, /[/\\?#\s]/);
      assert.ok(id.startsWith('~'), id);
      assert.equal(keyOfDocumentId(id), key);
    }
  });

  it('never maps two keys to one id', () => {
    const keys = ['~', '~~', 'fg', '~Zmc', documentIdOf('fg/'), 'fg/', '/'];
    const ids = keys.map(documentIdOf);
    assert.equal(new Set(ids).size, keys.length);
  });
});
