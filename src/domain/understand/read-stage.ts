import { type MoveTarget, parseMoveTarget, STAGE_WORDS } from '../stage';
import { type Clause, intendedBefore, isQuestion, negatedBefore } from './message-text';
import type { ProposedChange, Span } from './update-proposal';

const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The stage words `parseMoveTarget` reads (both languages), plus the long forms people write in a sentence. */
const EXTRA: Record<string, MoveTarget> = { 'proof of concept': { stage: 'Proof' }, 'proof stage': { stage: 'Proof' }, pilot: { stage: 'Proof' }, 'solution design': { stage: 'Solution' }, qualified: { stage: 'Qualify' }, qualifying: { stage: 'Qualify' } };
const WORDS = [...Object.keys(EXTRA), ...STAGE_WORDS.filter((w) => w !== 'close' && w !== 'closed' && w !== '关闭')].sort((a, b) => b.length - a.length).map(escape).join('|');

/** "moving the Teams rollout to solution", "set Contoso to won": a move verb, a few words, then to + stage. */
const MOVE_NAMED = new RegExp(`\\b(?:move|moved|moving|advance|advanced|advancing|push|pushed|pushing|bump|bumped|set|setting)\\s+(?:[\\p{L}\\d-]+\\s+){1,3}?(?:to|into)\\s+(?:the\\s+)?(${WORDS})(?![\\p{Script=Latin}])(?:\\s*(?:stage|phase))?`, 'giu');

/** Bulk orders ("close all my deals won", 把所有商机改成丢单) are not an update of one deal: no move is read from them. */
const BULK = /\b(?:all|every|each)\s+(?:of\s+)?(?:my\s+|the\s+|our\s+)?(?:deals?|opportunities|opps)\b|所有|全部|每个商机|一切/iu;

const target = (word: string): MoveTarget => EXTRA[word.toLowerCase()] ?? parseMoveTarget(word);

/**
 * Moves, only where a verb or label says so: "moving to solution", "now in proof", "stage: qualify", "推进到方案阶段",
 * "进入验证", "阶段改为方案". A stage word alone ("the solution outline", "方案概要") is not a move.
 */
const MOVE = new RegExp(
  `(?:\\b(?:move|moved|moving|moves|advance|advanced|advancing|progress|progressed|progressing|push|pushed|pushing|promote|promoted|bump|bumped|go|going|goes|went|ready for|now in|now at|entering|entered|enter|into)\\b(?:\\s+(?:it|this|the deal|this deal|the opp|forward|on|up|straight))?\\s*(?:to|into|in|on to|onto)?\\s*(?:the\\s+)?|\\bstage\\s*(?:is now|is|to|now|=|:|->|→)\\s*(?:the\\s+)?|(?:推进|推到|进入|转到|转入|移到|移动到|进到|进展到|推进至|推至|到了|升级到|升到)\\s*(?:了\\s*)?|阶段\\s*(?:改为|改成|变为|变成|更新为|是|为|:)\\s*)(${WORDS})(?![\\p{Script=Latin}])(?:\\s*(?:stage|phase|阶段))?`,
  'giu',
);

/** Outcomes said outright: "we won", "closed won", "won the deal", "deal lost", "lost to Globex", "赢单了", "丢单", "已成交". */
const WON = /\b(?:closed?[- ]won|deal (?:is )?won|(?:we|we've|we have|finally|officially) won(?: it| the (?:deal|bid|tender|contract|opportunity|business))?|won (?:it|the (?:deal|bid|tender|contract|opportunity|business)|this one)|mark(?:ed)?(?: it| as)? won)\b(?!')|已赢单|赢单了|赢单(?!概率|率)|已成交|成交了|关闭赢单|拿下了?(?:这个|这单|订单|合同)/giu;
const LOST = /\b(?:closed?[- ]lost|deal (?:is )?lost|(?:we|we've|we have) lost(?: it| the (?:deal|bid|tender|contract|opportunity|business)|\s+(?:to|against)\b)?|lost (?:it|the (?:deal|bid|tender|contract|opportunity|business)|this one|to\b)|mark(?:ed)?(?: it| as)? lost)|已丢单|丢单了|丢单(?!风险|的风险)|输单|关闭丢单|输给了?/giu;

/** An arrow to a stage ending its clause: "contoso -> solution", "方案阶段 → POC". An arrow between amounts is none. */
const ARROW = new RegExp(`(?:->|→|=>)\\s*(?:the\\s+)?(${WORDS})(?:\\s*(?:stage|phase|阶段))?(?=\\s*$|\\s*[^\\p{L}\\d\\s])`, 'giu');

/**
 * Outcomes said plainly, with no "deal" or "we": "won", "signed", "lost", "qualified", 赢了, 签了, 输了, 丢了. Read
 * only when clearly about the deal: right after its name ("Contoso signed today!", "华远银行 输了"), right before it
 * ("won Woodgrove!", "lost the Litware deal"), or as a clause of its own in a message naming the deal ("…, lost").
 */
const PLAIN = /(?<![\p{L}\d'])(won|signed|lost|qualified)(?![\p{L}\d'])|(赢了|签了|签下来了|签下了|拿下了|输了|丢了)/giu;
const PLAIN_TARGET: Record<string, MoveTarget> = { won: { stage: 'Close', outcome: 'Won' }, signed: { stage: 'Close', outcome: 'Won' }, lost: { stage: 'Close', outcome: 'Lost' }, qualified: { stage: 'Qualify' } };
const plainTarget = (word: string): MoveTarget => PLAIN_TARGET[word.toLowerCase()] ?? (/输|丢/.test(word) ? { stage: 'Close', outcome: 'Lost' } : { stage: 'Close', outcome: 'Won' });
/** What may stand around a plain outcome without making it about something else: "today", "finally", "!!", 🎉, 终于. */
const FILLER = /\b(?:today|yesterday|this (?:morning|afternoon|week)|just now|finally|officially|at last|it|the|deal|opp|contract|order)\b|今天|昨天|终于|已经|正式|了|啦|[^\p{L}\d]/giu;
const onlyFiller = (piece: string): boolean => piece.replace(FILLER, '').trim() === '';
/** Between a deal's name and its outcome: nothing, or a title word or two ("金桥制造MES 丢了", "Tailspin analytics lost"). */
const TITLE_GAP = /^[\s:：-]*(?:(?:[\p{Script=Latin}\d]+|\p{Script=Han}{1,4})\s*){0,2}$/u;

function plainOutcomes(text: string, clause: Clause, deals: readonly Span[]): Array<{ target: MoveTarget; start: number; end: number }> {
  const out: Array<{ target: MoveTarget; start: number; end: number }> = [];
  if (deals.length === 0) return out;
  const piece = text.slice(clause.start, clause.end);
  const inClause = deals.filter((d) => d.start >= clause.start && d.end <= clause.end);
  const bare = inClause.reduce((t, d) => t.slice(0, d.start - clause.start) + ' '.repeat(d.end - d.start) + t.slice(d.end - clause.start), piece);
  for (const m of piece.matchAll(PLAIN)) {
    const at = clause.start + m.index;
    const end = at + m[0].length;
    const after = text.slice(end, clause.end);
    const han = Boolean(m[2]);
    // Chinese: the outcome ends its phrase (签了 NDA is a contract signed, 签了！ is the deal); English: only filler follows.
    const endsRight = han ? !/^[\p{L}\d]/u.test(after) : onlyFiller(bare.slice(end - clause.start));
    const alone = onlyFiller(bare.slice(0, m.index) + bare.slice(end - clause.start));
    const afterName = inClause.some((d) => d.end <= at && TITLE_GAP.test(text.slice(d.end, at)));
    const beforeName = !han && inClause.some((d) => d.start >= end && /^\s*(?:the\s+)?$/i.test(text.slice(end, d.start)) && onlyFiller(text.slice(d.end, clause.end)));
    if (!(alone || beforeName || (afterName && endsRight))) continue;
    out.push({ target: plainTarget(m[1] ?? m[2]), start: at, end });
  }
  return out;
}

/** "we lost our champion" is not a lost deal: a bare "we lost" must end its clause. */
function outcomeEndsRight(text: string, clause: Clause, end: number, matched: string): boolean {
  if (!/^(?:we|we've|we have) (?:won|lost)$/i.test(matched)) return true;
  return /^\s*[!.]*\s*$/.test(text.slice(end, clause.end));
}

/** The one move the message asks for, or none when it names none or several different ones (ambiguous). */
export function readStage(text: string, clauses: readonly Clause[], deals: readonly Span[] = []): ProposedChange[] {
  const found: Array<{ target: MoveTarget; start: number; end: number }> = [];
  for (const clause of clauses) {
    // A question ("should we move to proof?") proposes no move.
    if (isQuestion(text, clause)) continue;
    const piece = text.slice(clause.start, clause.end);
    const said = (at: number) => !negatedBefore(text, clause, at) && !intendedBefore(text, clause, at);
    for (const m of [...piece.matchAll(MOVE), ...piece.matchAll(MOVE_NAMED), ...piece.matchAll(ARROW)]) {
      const at = clause.start + m.index;
      if (!said(at)) continue;
      found.push({ target: target(m[1]), start: at, end: at + m[0].length });
    }
    for (const [pattern, outcome] of [[WON, 'Won'], [LOST, 'Lost']] as const) {
      for (const m of piece.matchAll(pattern)) {
        const at = clause.start + m.index;
        if (!said(at) || !outcomeEndsRight(text, clause, at + m[0].length, m[0])) continue;
        found.push({ target: { stage: 'Close', outcome }, start: at, end: at + m[0].length });
      }
    }
    for (const plain of plainOutcomes(text, clause, deals)) {
      if (said(plain.start) && !found.some((f) => f.start < plain.end && plain.start < f.end)) found.push(plain);
    }
  }
  if (BULK.test(text)) return [];
  const distinct = new Set(found.map((f) => JSON.stringify(f.target)));
  if (distinct.size !== 1) return [];
  const first = found[0];
  return [{ field: 'stage', target: first.target, span: { start: first.start, end: first.end } }];
}
