/**
 * Bench-only prototypes of proposed fixes, to measure their effect before anyone changes src/ (`--try=<name>`).
 * None of them is used unless asked for, and none changes a file in src/.
 *
 *   pacing   F6b: see fan-out.ts (sends paced for arrival at Teams; tried in src/ and backed out, 7ed0afb, because
 *            claims taken before the limiter grants could outlive their lease with two instances).
 *
 * The earlier prototypes are production code now and were removed: intl-cache (F2, src/i18n/format.ts),
 * remember-once (F3, src/bot/conversation-of.ts), no-early-wake (F5, src/app/change-deal.ts).
 */
export type Prototype = 'pacing';
