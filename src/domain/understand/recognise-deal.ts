import type { KnownDeal, ProposedDeal, Span } from './update-proposal';

/** Legal-form words that people leave out when they name an account ("Contoso" for "Contoso Ltd", 鼎新 for 鼎新科技有限公司). */
const LEGAL_FORM = /[\s,]*(?:ltd\.?|limited|inc\.?|corp\.?|corporation|co\.?|llc|gmbh|ag|plc|s\.?a\.?|group|股份有限公司|有限责任公司|有限公司|集团|公司)$/i;
const STOP = new Set(['the', 'a', 'an', 'of', 'and', 'for', 'to', 'in', 'on', 'deal', 'project', '项目', '商机']);

const isLatin = (word: string) => /^[\p{Script=Latin}\d]/u.test(word);

/** Where `name` occurs in `text` as a whole word (Latin: case-insensitive at word boundaries; Chinese: anywhere). */
export function mentionOf(text: string, name: string): Span | undefined {
  const needle = name.trim();
  if (needle.length < 2) return undefined;
  // Between a Latin word and a Chinese one the space is optional ("Contoso中国" for Contoso 中国).
  const escaped = needle
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .reduce((p, w, i, all) => (i === 0 ? w : `${p}${isLatin(all[i - 1].slice(-1)) && isLatin(w) ? '\\s+' : '\\s*'}${w}`), '');
  const pattern = isLatin(needle) ? new RegExp(`(?<![\\p{L}\\d])${escaped}(?![\\p{Script=Latin}\\d])`, 'iu') : new RegExp(escaped, 'iu');
  const m = pattern.exec(text);
  return m ? { start: m.index, end: m.index + m[0].length } : undefined;
}

/** The names an account goes by: as stored, and without its legal form. */
function accountNames(account: string): string[] {
  const core = account.replace(LEGAL_FORM, '').trim();
  return core && core !== account ? [account, core] : [account];
}

/** Words too common to name an account on their own when written in lower case ("an adventure", "global rollout"). */
const COMMON = new Set(['adventure', 'global', 'united', 'national', 'general', 'international', 'digital', 'first', 'american', 'pacific', 'atlantic', 'northern', 'southern', 'western', 'eastern', 'central', 'smart', 'cloud', 'data', 'group', 'alpha', 'delta', 'summit', 'pioneer', 'premier', 'capital', 'energy', 'health', 'metro', 'royal', 'trust', 'union', 'world']);
/** Leading characters too common to name a Chinese account: places and generic words (东方, 中国, 北京…). */
const HAN_COMMON = new Set(['中国', '东方', '北京', '上海', '广州', '深圳', '天津', '重庆', '国际', '国家', '华东', '华南', '华北', '华中', '西部', '南方', '北方', '中华', '中信', '新的', '客户']);

/**
 * The short name people use for an account: its distinctive leading word or characters, when no other visible
 * account starts the same way. Latin: the first word of an account of several words, 5 letters or more, in any
 * case ("woodgrove" for Woodgrove Bank), or only as the account capitalises it when it is a common word ("Adventure"
 * for Adventure Works). Chinese: the first two characters of a name of four or more (鼎新 for 鼎新科技).
 */
function shortNameMention(text: string, account: string, others: readonly string[]): Span | undefined {
  const core = (name: string) => name.replace(LEGAL_FORM, '').trim();
  const lead = (name: string) => /^(\p{Script=Latin}[\p{Script=Latin}\d]{4,})(?![\p{Script=Latin}\d])\s*\S/u.exec(core(name))?.[1] ?? /^(\p{Script=Han}{2})\p{Script=Han}{2}/u.exec(core(name))?.[1];
  const short = lead(account);
  if (!short || others.some((o) => o !== account && lead(o)?.toLowerCase() === short.toLowerCase())) return undefined;
  if (!isLatin(short)) {
    if (HAN_COMMON.has(short)) return undefined;
    const at = text.indexOf(short);
    return at >= 0 ? { start: at, end: at + short.length } : undefined;
  }
  const anyCase = !COMMON.has(short.toLowerCase());
  const m = new RegExp(`(?<![\\p{L}\\d])${short}(?![\\p{Script=Latin}\\d])`, anyCase ? 'iu' : 'u').exec(text);
  return m ? { start: m.index, end: m.index + m[0].length } : undefined;
}

/** The distinctive words of a title, less the account's and filler words. */
function titleWords(deal: KnownDeal): string[] {
  const account = new Set(accountNames(deal.account).flatMap((n) => n.toLowerCase().split(/\s+/)));
  return deal.title
    .toLowerCase()
    .split(/[\s,/()\-–]+/)
    .filter((w) => w.length >= 2 && !STOP.has(w) && !account.has(w));
}

/** A Chinese title word's two-character pieces: 仓储管理 is named by 仓储 (people shorten titles). */
const hanPairs = (word: string): string[] => (word.length <= 2 ? [word] : [...word].slice(0, -1).map((c, i) => c + word.charAt(i + 1)));

export interface RecognisedDeal {
  deal: ProposedDeal;
  /** Where the message named it, for the note to leave out and a card to show. */
  spans: Span[];
}

/**
 * The deal a message is about, among the user's visible deals only: its id (D-1001, #1001) for certain; else its
 * account (one deal there: that one; several: the one whose title words the message also uses, else a choice);
 * else its whole title. Several deals named: a choice. Nothing named: none (the card asks).
 */
export function recogniseDeal(text: string, deals: readonly KnownDeal[]): RecognisedDeal {
  const ids = [...text.matchAll(/(?<![\p{L}\d])(?:D\s?-?\s?|#)(\d{1,9})(?!\d)/giu)];
  const byId = ids.flatMap((m) => deals.filter((d) => d.id.toUpperCase() === `D-${Number(m[1])}`).map((d) => ({ d, span: { start: m.index, end: m.index + m[0].length } })));
  if (byId.length > 0) {
    const unique = [...new Set(byId.map((h) => h.d.id))];
    return { deal: unique.length === 1 ? { id: unique[0], confidence: 1 } : { choices: unique }, spans: byId.map((h) => h.span) };
  }
  const lower = text.toLowerCase();
  const accounts = [...new Set(deals.map((d) => d.account))];
  const named = deals.flatMap((d) => {
    const span = accountNames(d.account).map((n) => mentionOf(text, n)).find(Boolean) ?? shortNameMention(text, d.account, accounts);
    return span ? [{ d, span }] : [];
  });
  // The longest name wins where one account's name is inside another's: "Initech 中国" is not also Initech.
  const inside = (a: Span, b: Span) => b.start <= a.start && a.end <= b.end && b.end - b.start > a.end - a.start;
  const byAccount = named.filter((h) => !named.some((o) => inside(h.span, o.span)));
  if (byAccount.length > 0) {
    const scored = byAccount.map((h) => ({ ...h, score: titleWords(h.d).filter((w) => (isLatin(w) ? mentionOf(text, w) : hanPairs(w).some((p) => lower.includes(p)))).length }));
    const best = Math.max(...scored.map((s) => s.score));
    const top = scored.filter((s) => s.score === best);
    const spans = byAccount.map((h) => h.span);
    if (top.length === 1) return { deal: { id: top[0].d.id, confidence: best > 0 || byAccount.length === 1 ? 0.9 : 0.7 }, spans };
    return { deal: { choices: top.map((s) => s.d.id) }, spans };
  }
  const byTitle = deals.flatMap((d) => {
    const span = mentionOf(text, d.title);
    return span ? [{ d, span }] : [];
  });
  if (byTitle.length === 1) return { deal: { id: byTitle[0].d.id, confidence: 0.8 }, spans: [byTitle[0].span] };
  if (byTitle.length > 1) return { deal: { choices: byTitle.map((h) => h.d.id) }, spans: byTitle.map((h) => h.span) };
  return { deal: undefined, spans: [] };
}
