import assert from 'node:assert/strict';
import { type AppDeps, DEFAULT_SETTINGS } from '../../src/app/context';
import { rememberPersonUseCase } from '../../src/app/remember-person';
import type { Store } from '../../src/ports/store.port';
import { MemoryLogger } from '../support/memory-logger';

/** A store that counts people writes and job creations; nothing else is reached. */
function countingStore() {
  const calls = { upserts: [] as object[], jobs: [] as string[] };
  const store = {
    people: { upsert: async (p: object) => void calls.upserts.push(p) },
    jobs: { createIfAbsent: async (job: { id: string }) => (calls.jobs.push(job.id), true) },
  } as unknown as Store;
  return { store, calls };
}

describe('rememberPerson: what DealDesk knows of a person, written only when it changes', () => {
  const base = { tenantId: 't1', id: 'aad-alex', name: 'Alex Wilber', userId: '29:alex', serviceUrl: 'https://smba.example/', locale: 'en-US' };
  const setUp = () => {
    const { store, calls } = countingStore();
    const deps: AppDeps = { store, clock: { now: () => new Date('2026-11-27T09:00:00Z') }, logger: new MemoryLogger(), settings: DEFAULT_SETTINGS };
    return { remember: rememberPersonUseCase(deps), calls };
  };

  it('messages (with a time zone) and button presses (without one) alternating cost one write in all', async () => {
    const { remember, calls } = setUp();
    for (let i = 0; i < 3; i++) {
      await remember({ ...base, timeZone: 'Europe/Berlin' }, { talking: true });
      await remember(base, { talking: true });
    }
    assert.equal(calls.upserts.length, 1);
    assert.deepEqual(calls.jobs, ['digest|aad-alex', 'nudge|aad-alex'], 'the digest and nudge scheduled once');
  });

  it('a field that really changes is written', async () => {
    const { remember, calls } = setUp();
    await remember(base, { talking: true });
    await remember({ ...base, locale: 'zh-CN' }, { talking: true });
    await remember({ ...base, timeZone: 'Asia/Shanghai' }, { talking: true });
    assert.equal(calls.upserts.length, 3);
  });

  it('someone learnt from a roster gets jobs only once they write to DealDesk themselves; an unknown zone is ignored', async () => {
    const { remember, calls } = setUp();
    await remember({ tenantId: 't1', id: 'aad-megan', name: 'Megan Bowen', userId: '29:megan' });
    assert.deepEqual(calls.jobs, []);
    await remember({ tenantId: 't1', id: 'aad-megan', name: 'Megan Bowen', userId: '29:megan', timeZone: 'Mars/Olympus' }, { talking: true });
    assert.deepEqual(calls.jobs, ['digest|aad-megan', 'nudge|aad-megan']);
    assert.equal((calls.upserts[1] as { timeZone?: string }).timeZone, undefined);
  });
});
