/**
 * Teams refreshes a card on its own (Universal Actions, `refresh.userIds`) for at most 60 listed users.
 * The one definition: whose copies of a live deal card stay current (app/live-card-viewers.ts), and the
 * user ids the deal and approval cards list.
 */
export const REFRESH_USERS_MAX = 60;
