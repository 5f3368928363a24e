import type { KnownDeal, ProposedDeal, Span } from './update-proposal';

/** Legal-form words that people leave out when they name an account ("Contoso" for "Contoso Ltd", 鼎新 for 鼎新科技有限公司). */
const LEGAL_FORM = /[\s,]*(?:ltd\.?|limited|inc\.?|corp\.?|corporation|co\.?|llc|gmbh|ag|plc|s\.?a\.?|group|股份有限公司|有限责任公司|有限公司|集团|公司)$/i;
const STOP = new Set(['the', 'a', 'an', 'of', 'and', 'for', 'to', 'in', 'on', 'deal', 'project', '项目', '商机']);

const isLatin = (word: string) => /^[\p{Script=Latin}\d]/u.test(word);

/** Where `name` occurs in `text` as a whole word (Latin: case-insensitive at word boundaries; Chinese: anywhere). */
export function mentionOf(text: string, name: string): Span | undefined {
  const needle = name.trim();
  if (needle.length < 2) return undefined;
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  const pattern = isLatin(needle) ? new RegExp(`(?<![\\p{L}\\d])${escaped}(?![\\p{Script=Latin}\\d])`, 'iu') : new RegExp(escaped, 'iu');
  const m = pattern.exec(text);
  return m ? { start: m.index, end: m.index + m[0].length } : undefined;
}

/** The names an account goes by: as stored, and without its legal form. */
function accountNames(account: string): string[] {
  const core = account.replace(LEGAL_FORM, '').trim();
  return core && core !== account ? [account, core] : [account];
}

/**
 * The short name people use for a Latin account of several words: its first word, capitalised as the account
 * writes it ("Woodgrove" for Woodgrove Bank, "Northwind" for Northwind Traders), when it is 5 letters or more.
 */
function shortNameMention(text: string, account: string): Span | undefined {
  const first = /^(\p{Lu}[\p{L}\d]{4,})\s+\S/u.exec(account.replace(LEGAL_FORM, '').trim())?.[1];
  if (!first) return undefined;
  const m = new RegExp(`(?<![\\p{L}\\d])${first}(?![\\p{L}\\d])`, 'u').exec(text);
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
  const byAccount = deals.flatMap((d) => {
    const span = accountNames(d.account).map((n) => mentionOf(text, n)).find(Boolean) ?? shortNameMention(text, d.account);
    return span ? [{ d, span }] : [];
  });
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
