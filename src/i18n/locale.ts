import coreEnUS from './messages/en-US.json';
import coreZhCN from './messages/zh-CN.json';
import followUpsEnUS from './messages/follow-ups.en-US.json';
import followUpsZhCN from './messages/follow-ups.zh-CN.json';
import nudgesEnUS from './messages/nudges.en-US.json';
import nudgesZhCN from './messages/nudges.zh-CN.json';
import quotaEnUS from './messages/quota.en-US.json';
import quotaZhCN from './messages/quota.zh-CN.json';
import extensionsEnUS from './messages/extensions.en-US.json';
import extensionsZhCN from './messages/extensions.zh-CN.json';
import actionsEnUS from './messages/actions.en-US.json';
import actionsZhCN from './messages/actions.zh-CN.json';
import historyEnUS from './messages/history.en-US.json';
import historyZhCN from './messages/history.zh-CN.json';
import limitsEnUS from './messages/limits.en-US.json';
import limitsZhCN from './messages/limits.zh-CN.json';
import directoryEnUS from './messages/directory.en-US.json';
import directoryZhCN from './messages/directory.zh-CN.json';
import reassignEnUS from './messages/reassign.en-US.json';
import reassignZhCN from './messages/reassign.zh-CN.json';
import languageEnUS from './messages/language.en-US.json';
import languageZhCN from './messages/language.zh-CN.json';
import pluralsEnUS from './messages/plurals.en-US.json';
import pluralsZhCN from './messages/plurals.zh-CN.json';
import notifyEnUS from './messages/notify.en-US.json';
import notifyZhCN from './messages/notify.zh-CN.json';
import crmEnUS from './messages/crm.en-US.json';
import crmZhCN from './messages/crm.zh-CN.json';
import assistantEnUS from './messages/assistant.en-US.json';
import assistantZhCN from './messages/assistant.zh-CN.json';
import { DEFAULT_LOCALE, type Locale } from '../domain/locale';

export { DEFAULT_LOCALE, LOCALES, localeOfPerson, pickLocale, type Locale } from '../domain/locale';

/** Each locale's catalogue: the core file plus one per feature area (`<area>.<locale>.json`), merged. */
export const enUS = { ...coreEnUS, ...followUpsEnUS, ...nudgesEnUS, ...quotaEnUS, ...actionsEnUS, ...extensionsEnUS, ...historyEnUS, ...limitsEnUS, ...directoryEnUS, ...reassignEnUS, ...languageEnUS, ...pluralsEnUS, ...notifyEnUS, ...crmEnUS, ...assistantEnUS };
export const zhCN: Partial<Record<keyof typeof enUS, string>> = { ...coreZhCN, ...followUpsZhCN, ...nudgesZhCN, ...quotaZhCN, ...actionsZhCN, ...extensionsZhCN, ...historyZhCN, ...limitsZhCN, ...directoryZhCN, ...reassignZhCN, ...languageZhCN, ...pluralsZhCN, ...notifyZhCN, ...crmZhCN, ...assistantZhCN };

export type MessageKey = keyof typeof enUS;
const CATALOGUES: Record<Locale, Partial<Record<MessageKey, string>>> = { 'en-US': enUS, 'zh-CN': zhCN };

export type Params = Record<string, string | number>;

/**
 * Plural forms (CLDR's rules, through Intl.PluralRules, built into Node and every browser: no library, no data to keep):
 * a message whose `{count}` (or, without one, `{days}`) is a number takes its `<key>#<category>` form when the locale
 * has one ("1 open deal"), the plain key otherwise ("3 open deals"; Chinese has one form for every number).
 */
const pluralRules = new Map<Locale, Intl.PluralRules>();
function pluralKey(locale: Locale, key: MessageKey, params: Params): MessageKey | undefined {
  const n = typeof params.count === 'number' ? params.count : typeof params.days === 'number' ? params.days : undefined;
  if (n === undefined) return undefined;
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return `${key}#${rules.select(n)}` as MessageKey;
}

/** Looks a message up in the locale's catalogue (its plural form first), falling back to en-US, and fills `{name}` placeholders. */
export function translate(locale: Locale, key: MessageKey, params: Params = {}): string {
  const plural = pluralKey(locale, key, params);
  const template = (plural && CATALOGUES[locale][plural]) ?? CATALOGUES[locale][key] ?? enUS[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole: string, name: string) => (name in params ? String(params[name]) : whole));
}

export type Translate = (key: MessageKey, params?: Params) => string;

export const translator = (locale: Locale): Translate => (key, params) => translate(locale, key, params);
