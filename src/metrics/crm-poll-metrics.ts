import { registry } from './metrics';

/** The Dataverse change poll's outcomes (src/crm/dataverse/change-poller.ts), beside dealdesk_dataverse_requests_total. */
const records = registry.counter('dealdesk_crm_poll_records_total', 'Opportunities the Dynamics 365 change poll brought in, by outcome (applied, skipped, refused)');
const rounds = registry.counter('dealdesk_crm_poll_rounds_total', 'Dynamics 365 change poll rounds this instance ran, by result (done, stopped: 401/403 or another failure)');

/** One round's counts, as the poll state records them. */
export function recordPollRound(round: { applied: number; skipped: number; refused: number; error?: unknown }): void {
  for (const outcome of ['applied', 'skipped', 'refused'] as const) if (round[outcome] > 0) records.inc({ outcome }, round[outcome]);
  rounds.inc({ result: round.error ? 'stopped' : 'done' });
}
