/**
 * Offline checks for a rendered Adaptive Card, as docs/platform.md "Checking a card offline" says:
 * the reference parser (bundled build) at schema 1.5, no parse or validation events, an explicit
 * version ≤ 1.5, a size well under Teams' message limit, no template expression left over, and
 * only Universal Actions (Action.Execute).
 */
import assert from 'node:assert/strict';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

/** Teams refuses messages over 100 KB (UTF-16); DealDesk stays under 80 KB. */
export const MAX_CARD_BYTES = 80 * 1024;

/** A JavaScript string's length counts UTF-16 code units: two bytes each. */
export const utf16Bytes = (card: unknown): number => JSON.stringify(card).length * 2;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every object in the tree, depth first. */
export function* objectsOf(node: unknown): Generator<JsonObject> {
  if (Array.isArray(node)) {
    for (const item of node) yield* objectsOf(item);
  } else if (isObject(node)) {
    yield node;
    for (const value of Object.values(node)) yield* objectsOf(value);
  }
}

/** Every string value anywhere in the tree, with its JSON path. */
export function* stringsOf(node: unknown, path = '$'): Generator<[string, string]> {
  if (typeof node === 'string') yield [path, node];
  else if (Array.isArray(node)) for (let i = 0; i < node.length; i++) yield* stringsOf(node[i], `${path}[${i}]`);
  else if (isObject(node)) for (const [key, value] of Object.entries(node)) yield* stringsOf(value, `${path}.${key}`);
}

/** Every action in the card: card actions, ActionSets, selectActions, inline actions, fallbacks. */
export const actionsOf = (card: unknown): JsonObject[] =>
  [...objectsOf(card)].filter((o) => typeof o.type === 'string' && o.type.startsWith('Action.'));

/** The text a user reads as markdown: TextBlock text and FactSet titles and values. */
export function displayedTextsOf(card: unknown): string[] {
  const texts: string[] = [];
  for (const o of objectsOf(card)) {
    if (o.type === 'TextBlock' && typeof o.text === 'string') texts.push(o.text);
    if (o.type === 'TextRun' && typeof o.text === 'string') texts.push(o.text);
    if (o.type === 'FactSet' && Array.isArray(o.facts)) {
      for (const fact of o.facts) if (isObject(fact)) texts.push(String(fact.title ?? ''), String(fact.value ?? ''));
    }
  }
  return texts;
}

/** The inputs of a card, by id. */
export function inputsOf(card: unknown): Map<string, JsonObject> {
  const inputs = new Map<string, JsonObject>();
  for (const o of objectsOf(card)) if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') inputs.set(o.id, o);
  return inputs;
}

/** What the reference parser and its validation report about a card (a good card: nothing). */
export function parserProblems(card: unknown): string[] {
  const adaptiveCard = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  adaptiveCard.parse(card as never, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of adaptiveCard.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  return problems;
}

/** "1.5" → [1, 5]; anything else → undefined. */
function versionOf(value: unknown): [number, number] | undefined {
  const m = typeof value === 'string' ? /^(\d+)\.(\d+)$/.exec(value) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Template expressions the renderer could not resolve, as JSON paths. */
export const unresolvedExpressions = (card: unknown): string[] =>
  [...stringsOf(card)].filter(([, s]) => s.includes('${')).map(([path, s]) => `${path}: ${s.slice(0, 80)}`);

/** JSON paths of Chart.* elements without a `fallback` (an element or "drop"). */
export function chartsWithoutFallback(card: unknown, path = '$'): string[] {
  if (Array.isArray(card)) return card.flatMap((item, i) => chartsWithoutFallback(item, `${path}[${i}]`));
  if (!isObject(card)) return [];
  const own = typeof card.type === 'string' && card.type.startsWith('Chart.') && card.fallback === undefined ? [`${path} (${card.type})`] : [];
  return [...own, ...Object.entries(card).flatMap(([k, v]) => chartsWithoutFallback(v, `${path}.${k}`))];
}

/**
 * What the reference parser reports, except that it does not know Teams's charts (Chart.*): it reports them as
 * unknown and uses their fallback, which is how a client without charts shows them. So a chart is a problem
 * only without a fallback.
 */
export function cardProblems(card: unknown): string[] {
  const charts = chartsWithoutFallback(card).map((at) => `chart without a fallback: ${at}`);
  return [...charts, ...parserProblems(card).filter((p) => !/^parse: Unknown element type "Chart\.\w+"\. Fallback will be used if present\.$/.test(p))];
}

/** All the rules a card DealDesk sends must follow. */
export function assertTeamsReady(card: unknown, name = 'card'): void {
  assert.ok(isObject(card), `${name}: a card is a JSON object`);
  assert.equal(card.type, 'AdaptiveCard', `${name}: type`);
  const version = versionOf(card.version);
  assert.ok(version, `${name}: has an explicit version (got ${JSON.stringify(card.version)})`);
  assert.ok(version[0] < 1 || (version[0] === 1 && version[1] <= 5), `${name}: version ${String(card.version)} is at most 1.5`);
  assert.deepEqual(cardProblems(card), [], `${name}: the reference parser reports nothing`);
  assert.deepEqual(unresolvedExpressions(card), [], `${name}: no unresolved \${…} is left`);
  const bytes = utf16Bytes(card);
  assert.ok(bytes < MAX_CARD_BYTES, `${name}: ${bytes} bytes (UTF-16) is under ${MAX_CARD_BYTES}`);
  const notExecute = actionsOf(card).filter((a) => a.type !== 'Action.Execute' && a.type !== 'Action.ToggleVisibility').map((a) => a.type);
  // Action.ToggleVisibility only folds part of the card on the client: it sends nothing.
  assert.deepEqual(notExecute, [], `${name}: every action is Action.Execute (or a client-side ToggleVisibility)`);
}

// ---- what "safe" means for user text a TextBlock or FactSet shows as markdown ----

/** Is the character at `i` escaped (an odd run of backslashes before it)? */
export function escapedAt(text: string, i: number): boolean {
  let slashes = 0;
  for (let j = i - 1; j >= 0 && text[j] === '\\'; j--) slashes++;
  return slashes % 2 === 1;
}

/** An unescaped `[` later followed by an unescaped `](`: a markdown link (or image). */
export function hasLink(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '[' || escapedAt(text, i)) continue;
    for (let j = i + 1; j < text.length - 1; j++) if (text[j] === ']' && text[j + 1] === '(' && !escapedAt(text, j)) return true;
  }
  return false;
}

/** An unescaped `<at` (a mention) anywhere. */
export const hasMention = (text: string): boolean => [...text.matchAll(/<at\b/gi)].some((m) => !escapedAt(text, m.index ?? 0));
