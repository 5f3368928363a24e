import type { DealDeskHarness } from './dealdesk-harness';

/**
 * One approver a level, as an admin (Alex, local mode) sets them up: Megan (services manager), Isaiah (director),
 * Adele (deal desk), the approvals channel the playground's General channel. Each approver has said hello first,
 * so DealDesk knows them by name.
 */
export async function staffOneApproverALevel(h: DealDeskHarness): Promise<void> {
  for (const as of ['megan', 'isaiah', 'adele'] as const) await h.say('help', { as });
  await h.sayInChannel('approvals here');
  await h.say('set approvers 1 megan bowen');
  await h.say('set approvers 2 isaiah langer');
  await h.say('set approvers 3 adele vance');
}
