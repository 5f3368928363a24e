/**
 * The message extension commands DealDesk answers, as the manifest declares them (manifest/manifest.json
 * composeExtensions[0].commands; manifest/check-app-package.ts checks the two agree). No SDK import: the
 * packager reads it too.
 */
export const COMPOSE_COMMANDS = {
  /** Search-based: composeExtension/query from the compose box (src/bot/message-extensions.ts). */
  searchDeals: 'query',
  /** Action-based on a message: fetchTask opens a dialog to pick the deal (src/bot/message-actions.ts). */
  addNextStep: 'action',
  logOnDeal: 'action',
} as const;

export type ComposeCommandId = keyof typeof COMPOSE_COMMANDS;
