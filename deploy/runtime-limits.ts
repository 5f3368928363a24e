/**
 * The limits every shipped way runs DealDesk with: the Dockerfile's CMD, App Service's appCommandLine
 * (infra/modules/web-app.bicep) and `npm run start:dist` all run START_COMMAND, and test/shipped/same-limits.spec.ts
 * fails when one of them differs. The figures come from `npm run bench` (docs/benchmarks.md, "Heap limit").
 */

/** V8's old-space limit, MB (--max-old-space-size). */
export const HEAP_LIMIT_MB = 160;

/** Memory to give a container (docker run --memory, a container app's memory): the process's peak RSS with room. */
export const MEMORY_LIMIT_MB = 512;

/** No --enable-source-maps: decoding the map takes more heap than the app (docs/benchmarks.md); map traces offline. */
export const START_COMMAND = `node --max-old-space-size=${HEAP_LIMIT_MB} dist/main.js`;
