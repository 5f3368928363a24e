import { strict as assert } from 'node:assert';
import { contosoForm } from '../bot/deal-fixtures';
import { cardPress, personalText } from './activities';
import { cardText } from './card-query';
import type { FakeTeams } from './fake-teams';

async function post(url: string, activity: unknown, authorization?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * The first turns of a new user, as Teams sends them to a started DealDesk: the new-deal form's Create button
 * (answered in the HTTP response, the deal stored), then `deal <id>` typed in the chat (answered through the
 * connector, `teams`). `authorization` is the channel's token, for authentication on. Returns the new deal's id.
 */
export async function createAndShowDeal(url: string, teams: FakeTeams, authorization?: () => string): Promise<string> {
  const press = await post(url, cardPress('deal.create', contosoForm, { serviceUrl: teams.url }), authorization?.());
  assert.equal(press.status, 200, JSON.stringify(press.body));
  const created = /Created (D-\d+)\./.exec(cardText(press.body?.value ?? {}));
  assert.ok(created, `the Create button was answered with ${JSON.stringify(press.body).slice(0, 400)}`);
  const id = created[1];
  const message = personalText(`deal ${id}`, { serviceUrl: teams.url });
  const said = await post(url, message, authorization?.());
  assert.equal(said.status, 200, JSON.stringify(said.body));
  const replies = teams.sent.filter((s) => s.body.replyToId === message.id).flatMap((s) => (s.body.attachments ?? []).map((a: any) => cardText(a.content)));
  assert.ok(replies.some((text) => text.includes(contosoForm.title) && text.includes(id)), `deal ${id} was answered with ${JSON.stringify(replies).slice(0, 400)}`);
  return id;
}
