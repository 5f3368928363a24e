import type { Quota } from '../domain/quota';

/** Quotas, one per person and fiscal year. Setting one replaces it (the last write wins: managers set targets, nobody merges them). */
export interface QuotaRepository {
  get(tenantId: string, personId: string, fiscalYear: string): Promise<Quota | undefined>;
  put(quota: Quota): Promise<void>;
}
