import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { queryEngineMode } from './query-engine-patch';

export const QUERY_PLAN_HEADER = 'x-ms-cosmos-is-query-plan-request';

/**
 * A minimal query plan. @azure/cosmos 4.9 fetches one before every query, in parallel with the query, and reads it
 * only when the query itself fails with "cross partition query not servable" (or with `forceQueryPlan`). The
 * embedded server does not know plan requests: it runs them as a second full query and answers with documents,
 * which the SDK could not use as a plan anyway. This plan says "no ORDER BY, TOP, aggregate or DISTINCT to merge
 * across partitions, one range covering everything": true of the embedded server, which has a single partition
 * range and runs the whole query itself.
 */
export const MINIMAL_QUERY_PLAN = JSON.stringify({
  partitionedQueryExecutionInfoVersion: 2,
  queryInfo: {
    distinctType: 'None',
    top: null,
    offset: null,
    limit: null,
    orderBy: [],
    orderByExpressions: [],
    groupByExpressions: [],
    groupByAliases: [],
    aggregates: [],
    groupByAliasToAggregateType: {},
    rewrittenQuery: '',
    hasSelectValue: false,
    dCountInfo: null,
  },
  queryRanges: [{ min: '', max: 'FF', isMinInclusive: true, isMaxInclusive: false }],
});

const isPlanRequest = (req: IncomingMessage) => req.method === 'POST' && String(req.headers[QUERY_PLAN_HEADER] ?? '').toLowerCase() === 'true';

/** Answers query-plan requests with MINIMAL_QUERY_PLAN instead of running the query (unless the engine is 'stock'). */
export function answerQueryPlans(server: EventEmitter): void {
  const handlers = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  if (handlers.length !== 1) throw new Error('the embedded Cosmos server has an unexpected request handler');
  const [handler] = handlers as [(req: IncomingMessage, res: ServerResponse) => void];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (queryEngineMode() === 'stock' || !isPlanRequest(req)) return handler(req, res);
    req.resume();
    req.once('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-ms-request-charge': '0' });
      res.end(MINIMAL_QUERY_PLAN);
    });
  });
}
