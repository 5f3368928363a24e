/**
 * The local users of local mode: the Agents Playground's six mock users, by lower-case first name
 * (src/local/playground.ts has their identities, src/local/local-users.ts who each one is).
 */
export const LOCAL_USER_KEYS = ['alex', 'megan', 'adele', 'isaiah', 'patti', 'lynne'] as const;
export type LocalUserKey = (typeof LOCAL_USER_KEYS)[number];
