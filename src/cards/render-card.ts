import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import type { CardName, CardViews } from './card-views';
import { spoken, spokenSummaryOf } from './spoken-text';

/** The template names and their view models (type-only: the schemas load only where samples are checked). */
export type { CardName, CardViews } from './card-views';

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
 * Expands a template with its view model (CardViews[name], one type per template). The view model already
 * holds translated, escaped text: data values are inserted as literals (the templating engine does not
 * evaluate `${…}` inside data).
 */
export function renderCard<N extends CardName>(name: N, view: CardViews[N]): AdaptiveCardJson {
  // Every template says `"speak": "${speak}"`: the builder's own words, or the card's heading and first line.
  const fields = view as Record<string, unknown>;
  const speak = typeof fields.speak === 'string' && fields.speak.trim() !== '' ? spoken(fields.speak) : spokenSummaryOf(fields);
  const card = template(name).expand({ $root: { ...view, speak } }) as AdaptiveCardJson;
  delete card.$schema;
  return card;
}
