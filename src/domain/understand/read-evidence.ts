import { type Clause, NEGATION } from './message-text';
import { mentionOf } from './recognise-deal';
import type { ProposedChange, ProposedEvidenceKey, Span } from './update-proposal';

type Evidence = Extract<ProposedChange, { text: string }> & { field: ProposedEvidenceKey };

/** The decision makers' role words. */
const ROLES: ReadonlyArray<[RegExp, 'bdm' | 'tdm']> = [
  [/\b(?:tdm|technical decision[- ]maker|technical dm)\b|技术决策人|技术负责人|技术决策者/giu, 'tdm'],
  [/\b(?:bdm|business decision[- ]maker|business dm|economic buyer)\b|业务决策人|业务负责人|业务决策者/giu, 'bdm'],
];
/** Between a role word and the person: "is", "will be", ":", "confirmed as", 是, 为… */
const LINK_AFTER = /^\)?\s*(?:is now|is|will be|=|:|-|—|confirmed as|confirmed:|confirmed to be|identified as|(?:has )?changed to|changes to|now|确认为|确认是|确定为|确定是|换成了?|换为|改为|改成|变成|更换为|是|为|:)\s*/iu;
/** A person named before the role: "Raj is the TDM", "王芳是技术决策人", "Dana (BDM)". */
const LINK_BEFORE = /\s*(?:is|will be|as|is our|is the|is their|will be the|confirmed as(?: the)?|\(|是|为|担任|作为)\s*(?:the\s+|our\s+|their\s+)?$/iu;
const LATIN_NAME = /^\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){0,2}/u;
const HAN_NAME = /^\p{Script=Han}{2,3}(?=$|[\s,，。.;；])/u;
const LATIN_NAME_END = /\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){0,2}$/u;
const HAN_NAME_END = /(?:^|[\s,，])(\p{Script=Han}{2,3})$/u;
/** Role-like capitalised words that are not people. */
const NOT_NAME = /^(?:TBD|TBC|Unknown|None|Not|No|The|A|An|Still|Yet|Pending|IT|CIO|CTO|CFO|CEO|VP|Head)\b/;

/** The names a known person goes by: the whole name, and the first name when no other known person shares it. */
function knownNames(people: readonly string[]): Array<[string, string]> {
  const first = (p: string) => (/^\p{Script=Latin}/u.test(p) && /\s/.test(p.trim()) ? p.trim().split(/\s+/)[0] : undefined);
  const firsts = people.map(first);
  const unique = firsts.filter((f, i) => f && firsts.findIndex((g) => g?.toLowerCase() === f.toLowerCase()) === i && firsts.filter((g) => g?.toLowerCase() === f.toLowerCase()).length === 1);
  return [...people.map((p): [string, string] => [p, p]), ...people.flatMap((p): Array<[string, string]> => (unique.includes(first(p)) ? [[first(p)!, p]] : []))];
}

/** The person a role word points at: a known person first, else a capitalised name or a 2–3 character Chinese name. */
function personAt(text: string, from: number, to: number, people: readonly string[], before: boolean): { name: string; span: Span } | undefined {
  const piece = text.slice(from, to);
  for (const [said, person] of knownNames(people)) {
    const at = mentionOf(piece, said);
    if (!at) continue;
    const gap = before ? piece.slice(at.end) : piece.slice(0, at.start);
    // A person DealDesk knows may follow the role word with no link word at all: "TDM Raj", "tdm li wei", "BDM 李娜".
    if (before ? LINK_BEFORE.test(gap) : /^\s*$/.test(gap) || (LINK_AFTER.test(gap) && LINK_AFTER.exec(gap)![0].length === gap.length)) {
      return { name: person, span: { start: from + at.start, end: from + at.end } };
    }
  }
  if (before) {
    const link = LINK_BEFORE.exec(piece);
    if (!link) return undefined;
    const head = piece.slice(0, link.index);
    const m = LATIN_NAME_END.exec(head) ?? HAN_NAME_END.exec(head);
    const name = m ? (m[1] ?? m[0]) : undefined;
    if (!name || NOT_NAME.test(name)) return undefined;
    const start = from + head.length - name.length;
    return { name, span: { start, end: start + name.length } };
  }
  const link = LINK_AFTER.exec(piece);
  if (!link) return undefined;
  const rest = piece.slice(link[0].length);
  const m = LATIN_NAME.exec(rest) ?? HAN_NAME.exec(rest);
  if (!m || NOT_NAME.test(m[0])) return undefined;
  const start = from + link[0].length;
  return { name: m[0], span: { start, end: start + m[0].length } };
}

/** A person leaving is a role emptied, not filled: "TDM Omar left", "TDM 赵磊 离职了". */
const DEPARTED = /\b(?:left|leaving|leaves|quit|quits|resigned|retired|departed|moved on|no longer)\b|离职|辞职|走了|离开|不再|退休/iu;

function readPeople(text: string, clause: Clause, people: readonly string[]): Evidence[] {
  const out: Evidence[] = [];
  const piece = text.slice(clause.start, clause.end);
  if (NEGATION.test(piece) || DEPARTED.test(piece)) return out;
  for (const [pattern, field] of ROLES) {
    for (const m of piece.matchAll(pattern)) {
      const at = clause.start + m.index;
      const person = personAt(text, at + m[0].length, clause.end, people, false) ?? personAt(text, clause.start, at, people, true);
      if (person) out.push({ field, text: person.name, span: { start: Math.min(at, person.span.start), end: Math.max(at + m[0].length, person.span.end) } });
    }
  }
  return out;
}

/** Budget said to be there: "budget confirmed (at 1.2m)", "budget approved", "they have budget", "预算已确认 120万", "预算到位", 预算已批, 预算 OK. */
const BUDGET = /\bbudget\b[^,;:]{0,24}?\s(?:is\s+|has been\s+|was\s+|now\s+)?(?:confirmed|approved|secured|allocated|signed off|in place|locked(?: in)?|agreed|available|released|ok|okay|green[- ]?lit)\b|\b(?:confirmed|approved|secured|allocated|have|has|got)\s+(?:the\s+|a\s+|their\s+)?budget\b|预算[^,;:]{0,12}?(?:已经?|也)?\s*(?:确认|批准|批了|获批|已批|落实|到位|通过|审批通过|批下来|定了|锁定|OK|没问题|搞定)|(?:确认|落实|批准)了?\s*预算/giu;

function readBudget(text: string, clause: Clause): Evidence[] {
  const piece = text.slice(clause.start, clause.end);
  const m = BUDGET.exec(piece);
  BUDGET.lastIndex = 0;
  if (!m || NEGATION.test(piece)) return [];
  const cue = /budget|预算/i.exec(piece)!;
  // What the budget is, said after the word: "confirmed at 1.2m", "已确认 120万"; the whole clause when the word comes last.
  const after = piece.slice(cue.index + cue[0].length).replace(/^[\s:：,，]+/, '').trim();
  const said = after.length >= 2 ? after : piece.trim();
  return [{ field: 'budget', text: said, span: { start: clause.start + Math.min(cue.index, m.index), end: clause.end } }];
}

/** The solution outline done or shared: "solution outline sent", "shared the outline", "方案概要已提交", "方案概要发给客户了", 方案已评审通过. */
const OUTLINE = /\b(?:solution outline|outline)\b.*?\b(?:sent|shared|done|agreed|approved|accepted|signed off|ready|delivered|presented|reviewed|submitted|complete|completed|finished)\b|\b(?:sent|shared|delivered|presented|submitted|reviewed|approved|walked (?:them|him|her) through)\b.*?\b(?:solution )?outline\b|(?:方案概要|方案大纲|概要方案).*?(?:已发|已经发|发给|发送|已提交|已确认|已评审|发了|发过去|提交了|完成|确认了|认可|通过)|方案(?:已经?|也)?\s*(?:评审通过|通过评审|通过了评审|被客户认可)|(?:发了|提交了|讲了|演示了)(?:方案概要|方案大纲)/iu;

function readOutline(text: string, clause: Clause): Evidence[] {
  const piece = text.slice(clause.start, clause.end);
  const m = OUTLINE.exec(piece);
  if (!m || NEGATION.test(piece)) return [];
  return [{ field: 'solutionOutline', text: piece.trim(), span: { start: clause.start, end: clause.end } }];
}

/** A proposal or SOW reference: a code with a digit in it ("proposal P-2027-014", "SOW #4471", "建议书编号 PR-88"). */
const PROPOSAL = /(?:\b(?:proposal|sow|statement of work|quote)\b|建议书|报价单|SOW)\s*(?:ref(?:erence)?|no\.?|number|id|#|编号|号)?\s*(?:is|:|=|是|为)?\s*#?([A-Z]{1,6}[-_/]?\d[\w/-]*|\d{3,}[\w/-]*)/iu;
/** A contract reference, which stands for the proposal once one is signed: "contract no. C-2027-7", "合同编号 HT-88", "合同 HT-88" (a code with letters: "合同 150万" is an amount). */
const CONTRACT = /(?:\bcontract\s*(?:ref(?:erence)?|no\.?|number|id|#)|合同(?:编号|号)?)\s*(?:is|:|=|是|为)?\s*#?([A-Z]{1,6}[-_/]?\d[\w/-]*)/iu;

function readProposal(text: string, clause: Clause): Evidence[] {
  const piece = text.slice(clause.start, clause.end);
  const m = PROPOSAL.exec(piece) ?? CONTRACT.exec(piece);
  if (!m || NEGATION.test(piece.slice(0, m.index))) return [];
  const start = clause.start + m.index + m[0].length - m[1].length;
  return [{ field: 'proposalRef', text: m[1], span: { start: clause.start + m.index, end: start + m[1].length } }];
}

/** Gate evidence, each on a clear cue; a cue taken back in its clause ("TDM not known yet", "预算还没确认") is none. */
export function readEvidence(text: string, clauses: readonly Clause[], people: readonly string[]): ProposedChange[] {
  const all = clauses.flatMap((c) => [...readPeople(text, c, people), ...readBudget(text, c), ...readOutline(text, c), ...readProposal(text, c)]);
  // One value per field: two different TDMs in one message are ambiguous.
  return [...new Set(all.map((e) => e.field))].flatMap((field) => {
    const of = all.filter((e) => e.field === field);
    return new Set(of.map((e) => e.text.toLowerCase())).size === 1 ? [of[0]] : [];
  });
}
