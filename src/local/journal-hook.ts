import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { keyComponents } from './hierarchical-keys';
import type { JournalEntry } from './journal-file';
import type { WriteJournal } from './write-journal';

/**
 * Makes the embedded server's writes durable before they are answered (local mode). Two parts:
 *   - every successful document create, replace, upsert, patch and delete, alone or in a batch, is recorded in the
 *     journal at the moment the server applies it (the package's document operations, wrapped once per process;
 *     the request's scope says which server's journal, if any, and which container);
 *   - no answer leaves this server, whatever it answers, before every write applied so far is on disk. So an answer
 *     never shows a change a crash could still lose, and an answered write survives `kill -9`.
 * The operations' shapes are checked at install; another version of the package stops start-up instead of silently
 * journaling nothing.
 */
export function journalWrites(server: EventEmitter, journal: WriteJournal): void {
  installWriteCapture();
  const handlers = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  if (handlers.length !== 1) throw new Error('the embedded Cosmos server has an unexpected request handler');
  const [handler] = handlers as [(req: IncomingMessage, res: ServerResponse) => void];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const refusal = journal.refusal;
    if (refusal) return refuse(req, res, refusal);
    holdAnswerUntilDurable(res, journal);
    scope.run({ journal, coll: containerOf(req.url ?? '') }, () => handler(req, res));
  });
}

const scope = new AsyncLocalStorage<{ journal: WriteJournal; coll: string }>();

const containerOf = (url: string) => decodeURIComponent(/\/colls\/([^/?]+)/.exec(url)?.[1] ?? '');

function holdAnswerUntilDurable(res: ServerResponse, journal: WriteJournal): void {
  const end = res.end as (...args: unknown[]) => ServerResponse;
  res.end = function endWhenDurable(this: ServerResponse, ...args: unknown[]) {
    const durable = journal.whenDurable();
    if (!durable) return end.apply(this, args);
    durable.then(
      () => end.apply(this, args),
      (err: Error) => (this.headersSent ? end.apply(this, args) : answerRefusal(this, end, err)),
    );
    return this;
  } as ServerResponse['end'];
}

function refuse(req: IncomingMessage, res: ServerResponse, err: Error): void {
  req.resume();
  answerRefusal(res, res.end as (...args: unknown[]) => ServerResponse, err);
}

function answerRefusal(res: ServerResponse, end: (...args: unknown[]) => ServerResponse, err: Error): void {
  res.statusCode = 503;
  res.removeHeader('etag');
  res.setHeader('content-type', 'application/json');
  end.call(res, JSON.stringify({ code: 'ServiceUnavailable', message: err.message }));
}

// ---- the package's internals this relies on (@vercel/cosmosdb-server 1.0.1, lib/handler)

interface OperationResult {
  statusCode: number;
  body?: (Record<string, unknown> & { id: string }) | unknown;
}
type Operation = (collection: unknown, input: { id?: string; partitionKey?: string }) => OperationResult;

let installed = false;

function record(entry: DistributiveOmit<JournalEntry, 'coll'>): void {
  const current = scope.getStore();
  current?.journal.record({ ...entry, coll: current.coll } as JournalEntry);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function installWriteCapture(): void {
  if (installed) return;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const documents = require('@vercel/cosmosdb-server/lib/handler/_document-operations') as Record<string, Operation>;
  const patches = require('@vercel/cosmosdb-server/lib/handler/_patch-operations') as Record<string, Operation>;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const expected = [
    ...['createOperation', 'replaceOperation', 'upsertOperation', 'deleteOperation'].map((name) => typeof documents[name] === 'function'),
    typeof patches.patchOperation === 'function',
  ];
  if (expected.includes(false)) throw new Error('the embedded Cosmos server is not the version its journal hook was written for (@vercel/cosmosdb-server 1.0.1)');
  installed = true;

  const ok = (result: OperationResult) => result.statusCode >= 200 && result.statusCode < 300;
  const recordingPut = (stock: Operation): Operation => (collection, input) => {
    const result = stock(collection, input);
    if (ok(result)) record({ op: 'put', doc: result.body as Record<string, unknown> & { id: string } });
    return result;
  };
  for (const name of ['createOperation', 'replaceOperation', 'upsertOperation']) documents[name] = recordingPut(documents[name]);
  patches.patchOperation = recordingPut(patches.patchOperation);
  const stockDelete = documents.deleteOperation;
  documents.deleteOperation = (collection, input) => {
    const result = stockDelete(collection, input);
    // The key's every component (a hierarchical key names the item's logical partition only in full); no key: the id.
    if (ok(result)) record({ op: 'delete', id: input.id!, pk: (keyComponents(input.partitionKey) as Array<string | number | boolean | null> | undefined) ?? input.id! });
    return result;
  };
}
