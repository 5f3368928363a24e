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

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

/**
 * A template as the engine gets it: each `{ "$partial": "<name>", …overrides }` becomes cards/partials/<name>.json
 * (the heading, the banner, the error line, the Open deal button) with the overrides on top, e.g.
 * `{ "$partial": "heading", "size": "Large" }`. adaptivecards-templating has no includes; merging once, when a
 * template is first loaded, keeps the layout in the JSON templates (not in the builders) and costs nothing per card.
 */
export function templateJson(name: CardName): Record<string, unknown> {
  return withPartials(readJson(join(CARDS_DIR, `${name}.json`))) as Record<string, unknown>;
}

export function withPartials(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withPartials);
  if (typeof node !== 'object' || node === null) return node;
  const { $partial, ...rest } = node as Record<string, unknown>;
  const own = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, withPartials(value)]));
  if ($partial === undefined) return own;
  if (typeof $partial !== 'string' || !/^[a-z-]+$/.test($partial)) throw new Error(`cards: "$partial" must name a file in cards/partials: ${String($partial)}`);
  return { ...(withPartials(readJson(join(CARDS_DIR, 'partials', `${$partial}.json`))) as object), ...own };
}

const templates = new Map<CardName, ACData.Template>();

function template(name: CardName): ACData.Template {
  let t = templates.get(name);
  if (!t) {
    t = new ACData.Template(templateJson(name));
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
