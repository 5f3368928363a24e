import type { ApprovalPolicy } from './approval-policy';

/** Freezes an object and everything in it, so a shared constant cannot be changed by accident. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * The default approval policy, and the seed of every tenant's stored one (the settings repository
 * returns a copy of it until an admin saves a policy). Deep-frozen: take a copy (structuredClone) to change it.
 *
 * Levels run in this order; approvers and escalation contacts are empty until an admin names them.
 */
export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = deepFreeze<ApprovalPolicy>({
  levels: [
    { id: 'manager', name: 'Services manager', mode: 'any', approvers: [], escalateTo: [] },
    { id: 'director', name: 'Director', mode: 'all', approvers: [], escalateTo: [] },
    { id: 'dealDesk', name: 'Deal desk', mode: 'any', approvers: [], escalateTo: [] },
  ],
  managerNwsUsd: 1_000_000,
  directorNwsUsd: 5_000_000,
  discountPct: 15,
  // USD per unit of each currency DealDesk accepts (every code in CURRENCIES). These are SEED values,
  // fixed rates of early 2025: they are not fetched or refreshed, and an admin should keep the stored
  // policy's rates current. A currency the stored policy lacks falls back to the rate here (evaluate-policy.ts).
  fxToUsd: {
    USD: 1,
    EUR: 1.08,
    GBP: 1.27,
    CNY: 0.14,
    JPY: 0.0067,
    AUD: 0.66,
    CAD: 0.73,
    CHF: 1.13,
    HKD: 0.128,
    SGD: 0.74,
    INR: 0.012,
    KRW: 0.00073,
    SEK: 0.095,
    NOK: 0.093,
    DKK: 0.145,
    NZD: 0.6,
    BRL: 0.18,
    MXN: 0.055,
    ZAR: 0.054,
    AED: 0.2723,
  },
});
