import personalMessage from '../fixtures/personal-message.json';
import channelMessage from '../fixtures/channel-message.json';
import cardAction from '../fixtures/card-action-invoke.json';
import installationUpdate from '../fixtures/installation-update.json';
import membersAddedTeam from '../fixtures/members-added-team.json';
import membersRemovedTeam from '../fixtures/members-removed-team.json';

/** People of the test tenant; ids as Teams sends them (`from.aadObjectId`). */
export const USERS = {
  alex: { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' },
  megan: { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' },
  adele: { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' },
  megan2: { id: '29:megan2', aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Megan Smith' },
  isaiah: { id: '29:isaiah', aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Isaiah Langer' },
  patti: { id: '29:patti', aadObjectId: '00000000-0000-0000-0000-0000000000025', name: 'Patti Fernandez' },
  lynne: { id: '29:lynne', aadObjectId: '00000000-0000-0000-0000-0000000000026', name: 'Lynne Robbins' },
} as const;
export type UserKey = keyof typeof USERS;

export interface ActivityOptions {
  as?: UserKey;
  locale?: string;
  tenantId?: string;
  serviceUrl: string;
}

const clone = <T>(value: T): any => JSON.parse(JSON.stringify(value));

function personalise(activity: any, options: ActivityOptions): any {
  const user = USERS[options.as ?? 'alex'];
  activity.from = { ...activity.from, id: user.id, name: user.name, aadObjectId: user.aadObjectId };
  activity.serviceUrl = options.serviceUrl;
  activity.id = `${activity.id}-${Math.random().toString(36).slice(2)}`;
  if (activity.conversation.conversationType === 'personal') activity.conversation.id = `a:personal-${options.as ?? 'alex'}`;
  if (options.locale) activity.locale = options.locale;
  if (options.tenantId) {
    activity.conversation.tenantId = options.tenantId;
    activity.channelData.tenant.id = options.tenantId;
  }
  return activity;
}

/** A 1:1 chat message, as Teams posts it to /api/messages. */
export const personalText = (text: string, options: ActivityOptions) => personalise(Object.assign(clone(personalMessage), { text }), options);

/** A channel post that @mentions DealDesk. */
export const channelText = (text: string, options: ActivityOptions) =>
  personalise(Object.assign(clone(channelMessage), { text: `<at>DealDesk</at> ${text}` }), options);

/** A press of an Action.Execute button: Teams merges the card's inputs into `data`. */
export function cardPress(verb: string, data: Record<string, unknown>, options: ActivityOptions) {
  const activity = personalise(clone(cardAction), options);
  activity.value.action.verb = verb;
  activity.value.action.data = data;
  return activity;
}

export const installed = (options: ActivityOptions) => personalise(clone(installationUpdate), options);
export const addedToTeam = (options: ActivityOptions) => personalise(clone(membersAddedTeam), options);

/**
 * Someone installed DealDesk for themselves, as Teams sends it: `from` names them by ids only (no name, no e-mail).
 * `action: 'remove'`: they uninstalled it.
 */
export function installedByThemselves(options: ActivityOptions, action: 'add' | 'remove' = 'add') {
  const activity = installed(options);
  delete activity.from.name;
  activity.action = action;
  return activity;
}

/** Teams tells DealDesk (installed in the team) that a member joined the team (`teamMemberAdded`), sent by whoever added them. */
export function memberJoined(who: UserKey, options: ActivityOptions) {
  const activity = addedToTeam(options);
  activity.membersAdded = [{ id: USERS[who].id, aadObjectId: USERS[who].aadObjectId }];
  return activity;
}

/** A member left the team, or was removed (`teamMemberRemoved`); Teams names them by their Teams id. */
export function memberLeft(who: UserKey, options: ActivityOptions) {
  const activity = personalise(clone(membersRemovedTeam), options);
  activity.membersRemoved = [{ id: USERS[who].id }];
  return activity;
}
