import type { Person } from '../domain/person';
import type { Clock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';

/** Who is acting, established by the edge from the authenticated activity (never from card data). */
export interface Actor {
  tenantId: string;
  user: Person;
}

/** What the use cases need, injected by the composition root. */
export interface AppDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
}
