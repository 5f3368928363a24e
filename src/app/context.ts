import type { ApprovalTiming } from '../domain/approval';
import type { DealVisibility } from '../domain/deal-visibility';
import type { Person } from '../domain/person';
import { DEFAULT_MESSAGE_RETENTION_DAYS } from '../domain/outgoing-message';
import type { Clock } from '../ports/clock.port';
import type { Directory } from '../ports/directory.port';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';
import type { TraceWork } from '../ports/work-tracer.port';

/** Who is acting, established by the edge from the authenticated activity (never from card data). */
export interface Actor {
  tenantId: string;
  user: Person;
}

/** Settings the use cases read (parsed once by src/config.ts). */
export interface AppSettings {
  /** Changes to one deal within this window go out as one alert. */
  coalesceMs: number;
  /** AAD object ids or e-mail addresses (lower-case) of DealDesk admins. */
  admins: readonly string[];
  /** ADMIN_GROUP_ID (lower-case): members of this Entra group are admins too (needs the directory). */
  adminGroupId?: string;
  /** When a pending approval level reminds its approvers, and when it escalates. */
  approvalTiming: ApprovalTiming;
  /** Digests, nudges, quota years and stale deals. */
  schedule: ScheduleSettings;
  /** ALLOWED_TENANTS (lower-case): activities and webhook calls of other tenants are refused. Undefined: any tenant. */
  allowedTenants?: readonly string[];
  /** DEAL_VISIBILITY: who may read a deal, `tenant` (everyone in it) or `team` (see domain/deal-visibility.ts). */
  dealVisibility: DealVisibility;
  /** DELIVERY_RETENTION_DAYS: how long a finished delivery is kept (the store gives it that `ttl`); `alerts <deal>` says so. */
  deliveryRetentionDays: number;
  /**
   * A CRM target is configured (CRM_WEBHOOK_URL or DATAVERSE_URL): every change records an outbound event in the deal
   * (domain/crm-outbox.ts). Off (absent), nothing is recorded, so deployments without a CRM do not grow their deals.
   */
  crmSync?: boolean;
}

export { isTenantAllowed } from '../domain/tenant-allowed';

export interface ScheduleSettings {
  /** Where people's time zone is unknown (IANA name). */
  timeZone: string;
  /** The weekly digest: ISO weekday (1 = Monday) and hour, in each person's time zone. */
  digest: { weekday: number; hour: number };
  /** The daily stale-deal nudge, hour in each person's time zone. */
  nudgeHour: number;
  /** An open deal unchanged this many days is stale (so is one past its close date). */
  staleAfterDays: number;
  /** The month (1-12) a fiscal year starts; FY2027 starts in July 2026 when it is 7. */
  fiscalYearStartMonth: number;
}

export const DEFAULT_SCHEDULE: ScheduleSettings = {
  timeZone: 'UTC',
  digest: { weekday: 1, hour: 8 },
  nudgeHour: 9,
  staleAfterDays: 14,
  fiscalYearStartMonth: 7,
};

export const DEFAULT_SETTINGS: AppSettings = {
  coalesceMs: 60_000,
  admins: [],
  approvalTiming: { remindAfterMs: 24 * 3_600_000, escalateAfterMs: 48 * 3_600_000 },
  schedule: DEFAULT_SCHEDULE,
  dealVisibility: 'tenant',
  deliveryRetentionDays: DEFAULT_MESSAGE_RETENTION_DAYS,
};

/**
 * What the use cases need, injected by the composition root. Every use case has one shape (src/app/README.md):
 * `(deps: AppDeps, actor: Actor, input: <UseCase>Input) => Promise<result>`, the result a discriminated union
 * when callers branch on how it went (a gate not met, a duplicate, nothing changed), and faults thrown as coded
 * DomainErrors. AppDeps holds ports and settings only, never a prebuilt use case.
 */
export interface AppDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  settings: AppSettings;
  /** Called after a write that queued an alert, so delivery need not wait for its next poll. */
  alertQueued?: () => void;
  /** Called after a write that queued a CRM event, so the CRM dispatcher need not wait for its next poll. */
  crmQueued?: () => void;
  /** Called after a write that made one of the deal's timers due now (a milestone done), so the scheduler need not wait for its poll. */
  timersDue?: () => void;
  /** Entra ID through Microsoft Graph (GRAPH=on); absent: people are those DealDesk met. */
  directory?: Directory;
  /** Marks a unit of background work as an operation of its own (telemetry); absent: the work just runs. */
  traceWork?: TraceWork;
}
