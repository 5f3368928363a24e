import { randomUUID } from 'node:crypto';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/local/embedded-cosmos';
import type { Store } from '../../src/ports/store.port';
import { createCosmosClient } from '../../src/store/cosmos-client';
import { openCosmosStore } from '../../src/store/cosmos-store';
import { cardText } from '../support/card-query';
import { DealDeskHarness, type Pressed, type Said } from '../support/dealdesk-harness';
import { FaultProxy } from '../support/fault-proxy';
import { countWrites } from '../support/embedded-store';
import type { FakeTeamsOptions } from '../support/fake-teams';

/**
 * DealDesk whose store is reached through a FaultProxy in front of the embedded Cosmos server, exactly as
 * `COSMOS_ENDPOINT=<proxy> COSMOS_EMULATOR=on` would (createCosmosClient with `embedded`), plus a second
 * store straight to the server (`truth`) that the test checks against, unaffected by the faults.
 */
export class FaultyDealDesk extends DealDeskHarness {
  cosmos!: EmbeddedCosmos;
  proxy!: FaultProxy;
  truth!: Store;

  constructor(env: NodeJS.ProcessEnv = {}, teams: FakeTeamsOptions = { limits: false }) {
    super(env, teams);
  }

  override async start(): Promise<this> {
    await this.connector.start();
    this.cosmos = await startEmbeddedCosmos();
    this.proxy = await new FaultProxy({ target: this.cosmos.endpoint }).start();
    const databaseId = `faults-${randomUUID()}`;
    const client = createCosmosClient({ endpoint: this.proxy.endpoint, key: this.cosmos.key, embedded: true });
    const store = await openCosmosStore({ client, databaseId });
    this.truth = await openCosmosStore({ client: createCosmosClient({ endpoint: this.cosmos.endpoint, key: this.cosmos.key, embedded: true }), databaseId });
    this.testStore = {
      store,
      client,
      database: client.database(databaseId),
      endpoint: this.proxy.endpoint,
      key: this.cosmos.key,
      writes: countWrites(this.cosmos),
      partitionLimit: this.cosmos.partitionLimit,
      stop: async () => {
        await store.close();
        await this.truth.close();
        await this.proxy.stop();
        await this.cosmos.close();
      },
    };
    // The harness's own start-up, on this store (startApp is private to the harness; reused as is).
    await (this as unknown as { startApp(): Promise<void> }).startApp();
    return this;
  }
}

/** Everything the user was shown in answer to a message or a button press, as one text. */
export function shown(answer: Said | Pressed): string {
  if ('texts' in answer) return [...answer.texts, ...answer.cards.map((c) => cardText(c))].join('\n');
  return [answer.message ?? '', answer.card ? cardText(answer.card) : ''].join('\n');
}

/** What a user may never see: a stack, an error class, the store's or the network's words. */
export const LEAK = /\bat [\w.<>]+ \(|\bError:|ECONN|ETIMEDOUT|socket hang up|cosmos|127\.0\.0\.1|localhost|TooManyRequests|ServiceUnavailable|RequestTimeout|x-ms-/i;
/** The clear answer to a failure the user can retry. */
export const TRY_AGAIN = /try again/i;
