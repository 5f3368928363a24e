import type { Currency, Money } from './money';
import type { Person } from './person';
import type { ServiceLine } from './service-line';

/** One level of approval, in the policy: who approves, and whether any one or all of them must. */
export interface ApprovalLevelConfig {
  /** Stable id: 'manager', 'director', 'dealDesk' by default. */
  id: string;
  /** Shown on cards, e.g. "Services manager". */
  name: string;
  mode: 'any' | 'all';
  approvers: Person[];
  /** Told when the level is pending past APPROVAL_ESCALATE_AFTER (default: the next level's approvers). */
  escalateTo: Person[];
}

/** The approval policy of a tenant: levels in the order they run, and the rules that call them. */
export interface ApprovalPolicy {
  levels: ApprovalLevelConfig[];
  /** NWS (USD-equivalent) at or above which the 'manager' level is needed. */
  managerNwsUsd: number;
  /** NWS (USD-equivalent) at or above which the 'director' level is needed too. */
  directorNwsUsd: number;
  /** A discount above this percentage needs the 'dealDesk' level. */
  discountPct: number;
  /** USD per unit of each currency, for the USD-equivalent of NWS. */
  fxToUsd: Partial<Record<Currency, number>>;
}

/** Why a level is needed, for the card: "NWS 6.2M ≥ 5M → Director". */
export type PolicyReason =
  | { kind: 'nws'; levelId: string; amountUsd: number; thresholdUsd: number }
  | { kind: 'discount'; levelId: string; discountPct: number; thresholdPct: number }
  | { kind: 'terms'; levelId: string }
  | { kind: 'serviceLines'; levelId: string; count: number };

export interface PolicyEvaluation {
  complex: boolean;
  reasons: PolicyReason[];
  /** The levels needed, in the policy's order. */
  levelIds: string[];
}

/** Deal fields the policy reads. */
export interface PolicyInput {
  value: Money;
  serviceLines: ServiceLine[];
  discountPct: number;
  nonStandardTerms?: string;
}
