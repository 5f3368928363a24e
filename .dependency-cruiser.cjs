/**
 * DealDesk's layer rules, written down once and checked in `npm test` (test/architecture/layers.spec.ts).
 * README's "How it is built" explains them; this file is what holds the code to them.
 *
 * Paths are relative to the directory the cruise runs from (the repository, or `test/fixtures/layers/`, a copy of
 * the layout with one deliberate violation of each kind), so the same rules judge both.
 */
const SRC = '^src/';
const SDKS = '(^|/)node_modules/(botbuilder[^/]*|botframework-[^/]+|@microsoft/teams-ai|openai|restify)/';
const COSMOS = '(^|/)node_modules/@azure/cosmos/';
const IDENTITY = '(^|/)node_modules/@azure/identity/';
// The files directly in src/ are the entry points (main.ts, migrate.ts, crm-import.ts) and the composition root
// (start-dealdesk.ts, open-store.ts, app-deps.ts, config.ts): they build the adapters and inject them, so they may
// import everything.
const COMPOSITION_ROOT = `${SRC}[^/]+\\.ts$`;

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'src/domain/ imports only src/domain/ and pure libraries (zod, chrono-node): no ports, no use cases, no I/O.',
      severity: 'error',
      from: { path: `${SRC}domain/` },
      to: { pathNot: [`${SRC}domain/`, '(^|/)node_modules/(zod|chrono-node)/'] },
    },
    {
      name: 'ports-know-the-domain-only',
      comment: 'src/ports/ describes what the use cases need in the domain\'s types: it imports only src/domain/ (and other ports).',
      severity: 'error',
      from: { path: `${SRC}ports/` },
      to: { pathNot: [`${SRC}(domain|ports)/`] },
    },
    {
      name: 'use-cases-know-ports-and-domain',
      comment:
        'src/app/ (one use case per file) imports only src/domain/, src/ports/ and src/app/ (and node:util, which does no I/O).',
      severity: 'error',
      from: { path: `${SRC}app/` },
      to: { pathNot: [`${SRC}(domain|ports|app)/`, '^(node:)?util$'] },
    },
    {
      name: 'cards-do-not-call-use-cases',
      comment: 'src/cards/ renders view models; the model it draws lives in src/domain/, not in a use case.',
      severity: 'error',
      from: { path: `${SRC}cards/` },
      to: { path: `${SRC}app/` },
    },
    {
      name: 'senders-draw-no-cards',
      comment:
        'src/notify/, src/scheduler/ and src/app/ queue proactive cards as data (domain/proactive-card.ts): only the one renderer in src/cards/ (render-proactive.ts, given to the send worker by the composition root) draws them.',
      severity: 'error',
      from: { path: `${SRC}(notify|scheduler|app)/` },
      to: { path: `${SRC}cards/` },
    },
    {
      name: 'sdks-only-at-the-edge',
      comment:
        'botbuilder, botframework-*, @microsoft/teams-ai, openai and restify only in src/bot/, src/http/ and the composition root.',
      severity: 'error',
      from: { path: SRC, pathNot: [`${SRC}(bot|http)/`, COMPOSITION_ROOT] },
      to: { path: SDKS },
    },
    {
      name: 'cosmos-only-in-the-store',
      comment: '@azure/cosmos only in src/store/ and src/local/ (the embedded server and its snapshot).',
      severity: 'error',
      from: { path: SRC, pathNot: [`${SRC}(store|local)/`] },
      to: { path: COSMOS },
    },
    {
      name: 'identity-only-where-a-token-is-needed',
      comment: '@azure/identity only in the adapters that need a token: graph, crm, store, bot (and the composition root).',
      severity: 'error',
      from: { path: SRC, pathNot: [`${SRC}(graph|crm|store|bot)/`, COMPOSITION_ROOT] },
      to: { path: IDENTITY },
    },
    {
      name: 'no-cycles',
      comment: 'No import cycles, type-only ones included: a cycle means two files are one, or a model sits in the wrong file.',
      severity: 'error',
      from: { path: SRC },
      to: { circular: true },
    },
  ],
  options: {
    // TypeScript 7 (the native compiler this project type-checks with) has no JavaScript compiler API, so
    // dependency-cruiser reads the sources with swc, its other TypeScript parser. swc keeps every import,
    // `import type` included, so type-only dependencies count for the rules and for cycles.
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  },
};
