import assert from 'node:assert/strict';
import { partitionProblem } from './cosmos-economy';

const WHERE = "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'deal'";

describe('bench: a turn query must stay within its tenant (the cross-partition check of npm run bench)', () => {
  it('accepts the tenant prefix and a full hierarchical key', () => {
    assert.equal(partitionProblem({ partitionKey: '["tenant-1"]', query: WHERE, tenantId: 'tenant-1' }), undefined);
    assert.equal(partitionProblem({ partitionKey: '["tenant-1","19:sales@thread.tacv2"]', query: WHERE, tenantId: 'tenant-1' }), undefined);
  });

  it('flags a query without a key, with the SDK\'s "no key", or without the tenant in its WHERE', () => {
    assert.match(partitionProblem({ partitionKey: undefined, query: WHERE })!, /cross-partition/);
    assert.match(partitionProblem({ partitionKey: '[{}]', query: WHERE })!, /cross-partition/);
    assert.match(partitionProblem({ partitionKey: '["tenant-1"]', query: "SELECT * FROM c WHERE c.type = 'deal'" })!, /no tenant filter/);
  });

  it('flags a key that is not the query\'s tenant first', () => {
    assert.match(partitionProblem({ partitionKey: '["tenant-2","D-1"]', query: WHERE, tenantId: 'tenant-1' })!, /another tenant/);
    assert.match(partitionProblem({ partitionKey: '[""]', query: WHERE })!, /no tenant prefix or full key/);
  });
});
