import type { ApprovalPolicy, PolicyEvaluation, PolicyInput, PolicyReason } from './approval-policy';
import { DomainError } from './errors';
import { CURRENCIES, type Money } from './money';

/** The level ids the rules call. A policy may name its levels anything, but only these are ever needed. */
export const POLICY_LEVEL_IDS = { manager: 'manager', director: 'director', dealDesk: 'dealDesk' } as const;

const usableRate = (rate: unknown): rate is number => typeof rate === 'number' && Number.isFinite(rate) && rate > 0;

/**
 * The USD-equivalent of an amount at the policy's fixed rate, rounded to the cent (so thresholds
 * compare cent-exact amounts, not float noise: 925,925.93 EUR × 1.08 = 1,000,000.00).
 *
 * A currency the policy has no usable rate for (absent, zero, negative or not a number; e.g. an admin
 * removed it) is NOT converted by guessing: it throws DomainError 'DEAL.CURRENCY_INVALID' with the
 * currency as `value` and the currencies the policy can convert as `allowed`. Failing loudly is the
 * safe side for an approval gate: a deal whose size cannot be judged can neither slip through as
 * "not complex" nor get an invented amount on its card (and in its audit trail); the user is told the
 * currency is not usable, and an admin adds the rate to the policy.
 */
export function usdEquivalent(money: Money, policy: ApprovalPolicy): number {
  const rate = policy.fxToUsd[money.currency];
  if (!usableRate(rate)) {
    const allowed = CURRENCIES.filter((c) => usableRate(policy.fxToUsd[c]));
    throw new DomainError('DEAL.CURRENCY_INVALID', { value: String(money.currency), allowed: allowed.join(', ') });
  }
  return Math.round(money.amount * rate * 100) / 100;
}

/**
 * Which approval levels a deal needs under a policy, and why. Pure: no clock, no I/O.
 *
 * Rules (thresholds from the policy):
 * - NWS (USD-equivalent) ≥ managerNwsUsd → 'manager'; ≥ directorNwsUsd → 'director' too;
 * - more than one service line → 'manager' (at least);
 * - discount > discountPct → 'dealDesk'; non-standard terms (any non-blank text) → 'dealDesk'.
 *
 * levelIds follow the policy's level order, each once; reasons follow the same order (a level may
 * have several: NWS before service lines, discount before terms). A level a rule calls but the
 * policy lacks (an admin removed it) is skipped with its reasons; no level needed → not complex.
 * The NWS is converted only when the policy has a level the NWS rules call; an unconvertible
 * currency then throws (see usdEquivalent).
 */
export function evaluatePolicy(deal: PolicyInput, policy: ApprovalPolicy): PolicyEvaluation {
  const has = (levelId: string) => policy.levels.some((level) => level.id === levelId);
  const found: PolicyReason[] = [];
  const { manager, director, dealDesk } = POLICY_LEVEL_IDS;

  if (has(manager) || has(director)) {
    const amountUsd = usdEquivalent(deal.value, policy);
    if (amountUsd >= policy.managerNwsUsd) found.push({ kind: 'nws', levelId: manager, amountUsd, thresholdUsd: policy.managerNwsUsd });
    if (amountUsd >= policy.directorNwsUsd) found.push({ kind: 'nws', levelId: director, amountUsd, thresholdUsd: policy.directorNwsUsd });
  }
  if (deal.serviceLines.length > 1) found.push({ kind: 'serviceLines', levelId: manager, count: deal.serviceLines.length });
  if (deal.discountPct > policy.discountPct) found.push({ kind: 'discount', levelId: dealDesk, discountPct: deal.discountPct, thresholdPct: policy.discountPct });
  if (deal.nonStandardTerms?.trim()) found.push({ kind: 'terms', levelId: dealDesk });

  const levelIds: string[] = [];
  const reasons: PolicyReason[] = [];
  for (const level of policy.levels) {
    if (levelIds.includes(level.id)) continue;
    const mine = found.filter((reason) => reason.levelId === level.id);
    if (mine.length === 0) continue;
    levelIds.push(level.id);
    reasons.push(...mine);
  }
  return { complex: levelIds.length > 0, reasons, levelIds };
}
