import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { spoken, spokenSummaryOf } from './spoken-text';

/** The card templates under ../cards, by file name. */
export type CardName = 'approval' | 'approval-trail' | 'approvers' | 'alert' | 'team' | 'following' | 'delivery-status' | 'help' | 'deal' | 'deal-form' | 'stage-gate' | 'pipeline' | 'choose-deal' | 'message'
  // Quota, my team and the weekly digest (issue 5)
  | 'quota' | 'my-team' | 'digest'
  // Stale-deal nudges (issue 5)
  | 'nudge'
  // CSAT follow-ups (issue 5)
  | 'delivery-plan' | 'csat' | 'low-csat' | 'csat-recovery' | 'account'
  // Actions on a message: pick the deal (issue 9)
  | 'pick-deal-dialog'
  // A deal's whole history, a page at a time (issue 14)
  | 'history'
  // Where a deal's changes stand with the CRM (issue 19)
  | 'crm-sync'
  // Tell DealDesk what happened in your own words: the proposal to confirm (issue 21)
  | 'proposal';

export type AdaptiveCardJson = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

/** The repository's cards/ (from src/cards), or dist/cards next to the bundled dist/main.js (npm run build). */
export const CARDS_DIR = existsSync(join(__dirname, 'cards')) ? join(__dirname, 'cards') : join(__dirname, '..', '..', 'cards');

const templates = new Map<CardName, ACData.Template>();

function template(name: CardName): ACData.Template {
  let t = templates.get(name);
  if (!t) {
    t = new ACData.Template(JSON.parse(readFileSync(join(CARDS_DIR, `${name}.json`), 'utf8')));
    templates.set(name, t);
  }
  return t;
}

/**
 * Expands a template with a view model. The view model already holds translated, escaped text:
 * data values are inserted as literals (the templating engine does not evaluate `${…}` inside data).
 */
export function renderCard(name: CardName, view: object): AdaptiveCardJson {
  // Every template says `"speak": "${speak}"`: the builder's own words, or the card's heading and first line.
  const fields = view as Record<string, unknown>;
  const speak = typeof fields.speak === 'string' && fields.speak.trim() !== '' ? spoken(fields.speak) : spokenSummaryOf(fields);
  const card = template(name).expand({ $root: { ...view, speak } }) as AdaptiveCardJson;
  delete card.$schema;
  return card;
}
