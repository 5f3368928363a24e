import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../ports/clock.port';

/**
 * `_ts` is the time of an item's last write, in seconds, and Cosmos DB counts an item's `ttl` from it: in Azure on the
 * service's wall clock. The embedded server stamps it from this machine's wall clock; here it stamps it from the
 * clock it is given instead, DealDesk's own (the manual clock with DEALDESK_CLOCK=manual, a test's clock), so that
 * `_ts + ttl <= now` means on DealDesk's clock what it means in Azure on the service's, also after time was moved
 * forward by hand.
 *
 * While `restoring` runs, a write keeps the `_ts` its body carries (the snapshot and the journal being loaded at start):
 * a restart does not start the items' time to live again.
 */
export interface ItemClock {
  restoring<T>(work: () => Promise<T>): Promise<T>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function stampWithClock(server: EventEmitter, clock: Clock): ItemClock {
  installStamping();
  const handlers = server.listeners('request') as Handler[];
  if (handlers.length !== 1) throw new Error('the embedded Cosmos server has an unexpected request handler');
  const [handler] = handlers as [Handler];
  let restoring = 0;
  const stamp: Stamp = { now: () => clock.now().getTime(), restoring: () => restoring > 0 };
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => scope.run(stamp, () => handler(req, res)));
  return {
    async restoring(work) {
      restoring += 1;
      try {
        return await work();
      } finally {
        restoring -= 1;
      }
    },
  };
}

interface Stamp {
  now(): number;
  restoring(): boolean;
}

const scope = new AsyncLocalStorage<Stamp>();

// ---- the package's internals this relies on (@vercel/cosmosdb-server 1.0.1, lib/account/items.js): create and
// replace build the stored item, `_ts` included, and store it through `_set`, synchronously.

interface Documents {
  create(data: { _ts?: unknown }): unknown;
  replace(data: { _ts?: unknown }, original: unknown): unknown;
  _set(data: { _ts: number }): unknown;
}

let installed = false;

function installStamping(): void {
  if (installed) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const proto = (require('@vercel/cosmosdb-server/lib/account/documents') as { default: { prototype: Documents } }).default.prototype;
  if (!['create', 'replace', '_set'].every((name) => typeof (proto as unknown as Record<string, unknown>)[name] === 'function')) {
    throw new Error('the embedded Cosmos server is not the version its item clock was written for (@vercel/cosmosdb-server 1.0.1)');
  }
  installed = true;
  /** The `_ts` of the body being written, between create/replace and the `_set` they end in. */
  let given: unknown;
  const keepingGiven = <A extends unknown[]>(stock: (this: Documents, ...args: A) => unknown) =>
    function (this: Documents, ...args: A) {
      given = (args[0] as { _ts?: unknown } | undefined)?._ts;
      try {
        return stock.apply(this, args);
      } finally {
        given = undefined;
      }
    };
  proto.create = keepingGiven(proto.create);
  proto.replace = keepingGiven(proto.replace);
  const stockSet = proto._set;
  proto._set = function _set(this: Documents, data: { _ts: number }) {
    const stamp = scope.getStore();
    if (stamp) data._ts = stamp.restoring() && Number.isSafeInteger(given) ? (given as number) : Math.floor(stamp.now() / 1000);
    return stockSet.call(this, data);
  };
}

/** An item as the snapshot and the journal's replay load it: its system fields dropped, but its `_ts`, which `restoring` keeps. */
export function restorable<T extends Record<string, unknown>>(item: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!key.startsWith('_') || (key === '_ts' && Number.isSafeInteger(value))) out[key] = value;
  return out as T;
}
