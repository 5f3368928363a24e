import { type AccountSummary, summariseAccount } from '../domain/account-summary';
import { cleanText } from '../domain/deal-fields';
import { DomainError } from '../domain/errors';
import type { Actor, AppDeps } from './context';
import { cutToFit } from '../domain/shorten-text';
import { listReader } from './deal-viewer';

/** At most this many deals are read for one account view. */
export const ACCOUNT_DEALS_MAX = 500;

/**
 * `account <name>`: the account whose name matches exactly (case-insensitive), or the only account whose
 * name contains what was typed, made of the deals the person may read (DEAL_VISIBILITY): under `team`, an
 * account none of whose deals they may read is not found, and its totals count only the deals they may read.
 * Reads stay in the tenant's partition.
 */
export async function showAccount(deps: AppDeps, actor: Actor, nameText: string): Promise<AccountSummary> {
  const name = cutToFit(cleanText(nameText), 120);
  if (!name) throw new DomainError('ACCOUNT.NOT_FOUND', { name: '' });
  const reader = await listReader(deps, actor.tenantId, actor.user.id);
  const deals = (await deps.store.deals.findByAccount(actor.tenantId, name, ACCOUNT_DEALS_MAX, reader.audience)).filter((d) => reader.mayRead(d));
  const accounts = [...new Set(deals.map((d) => d.account))];
  const exact = accounts.filter((a) => a.toLowerCase() === name.toLowerCase());
  const chosen = exact.length > 0 ? exact : accounts;
  if (chosen.length === 0) throw new DomainError('ACCOUNT.NOT_FOUND', { name });
  if (chosen.length > 1) throw new DomainError('ACCOUNT.AMBIGUOUS', { name, accounts: chosen.slice(0, 10) });
  const account = chosen[0];
  const today = deps.clock.now().toISOString().slice(0, 10);
  return summariseAccount(account, deals.filter((d) => d.account === account), today, deps.settings.schedule.fiscalYearStartMonth);
}
