import type { Money } from './money';

/**
 * A person's NWS (net new services) targets for one fiscal year: PG1 is Consulting, PG2 Premier Support.
 * Set by their manager or an admin.
 */
export interface Quota {
  tenantId: string;
  personId: string;
  /** "FY2027" for the fiscal year that ends in 2027. */
  fiscalYear: string;
  pg1: Money;
  pg2: Money;
  setBy: { id: string; name: string };
  updatedAt: string;
}
