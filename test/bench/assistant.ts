/**
 * `npm run bench -- --only=assistant`: the offline update extractor's precision and recall per field over the three
 * labelled sets side by side: the tuning set (test/fixtures/assistant/updates.jsonl, written with the rules, so an
 * upper bound), the held-out set (held-out.jsonl, written without reading the rules or the tuning set; its first
 * run was the honest figure, kept in FIRST_CLEAN, and its misses were since used to find classes of language, so it
 * is no longer clean) and blind set 2 (blind-2.jsonl, written and committed before its writer read the rules, either
 * set or their figures: the honest measure; its first run is kept in FIRST_BLIND), and its time per message. The section "Assistant (offline extractor)" of docs/benchmarks.md is
 * replaced with the tables (the fixed part above the dated runs), or printed with --no-write.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { extractUpdate } from '../../src/domain/understand/extract-update';
import { BLIND_SET, type FieldScore, HELD_OUT_SET, loadLabelledUpdates, scoreLabelledUpdates, TUNING_SET } from '../domain/understand/labelled-updates';
import { MARKER } from './report';

export const ASSISTANT_HEADING = '## Assistant (offline extractor)';

const pct = (x: number) => x.toFixed(3);
const met = (s: FieldScore) => (s.precision >= 0.95 && s.recall >= 0.8 ? 'yes' : '**no**');
const missLines = (scores: FieldScore[]) => {
  const lines = scores.flatMap((s) => s.misses.map((m) => `- ${s.field}, ${m.kind}: \`${m.id}\` “${m.text}” (got ${JSON.stringify(m.got) ?? 'nothing'}, expected ${JSON.stringify(m.want) ?? 'nothing'})`));
  return lines.length ? lines : ['- none'];
};
const names = (scores: FieldScore[]) => (scores.length ? scores.map((s) => `${s.field} ${pct(s.precision)}`).join(', ') : 'none');
const recalls = (scores: FieldScore[]) => (scores.length ? scores.map((s) => `${s.field} ${pct(s.recall)}`).join(', ') : 'none');

/** The extractor's time per message over the tuning set (median and p99 of 20 passes). */
function timePerMessage(): { median: number; p99: number; calls: number } {
  const { items, contextOf } = loadLabelledUpdates(TUNING_SET);
  const contexts = items.map(contextOf);
  const times: number[] = [];
  for (let pass = 0; pass < 20; pass++) {
    items.forEach((item, i) => {
      const t = performance.now();
      extractUpdate(item.text, contexts[i]);
      times.push(performance.now() - t);
    });
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { median: at(0.5), p99: at(0.99), calls: times.length };
}

/** The held-out set's figures from its first, clean run (2026-12-07T21:51:34Z), before any rule was written for it. */
const FIRST_CLEAN: Record<string, [string, string]> = {
  deal: ['1.000', '0.885'], stage: ['0.917', '0.458'], value: ['0.824', '0.609'], closeDate: ['1.000', '0.667'],
  probability: ['1.000', '0.563'], nextStep: ['1.000', '0.909'], bdm: ['1.000', '0.500'], tdm: ['1.000', '0.300'],
  budget: ['1.000', '0.700'], solutionOutline: ['1.000', '0.600'], proposalRef: ['1.000', '0.500'],
};

/**
 * Blind set 2's figures from its first run (2026-12-07T22:06:06Z), before anyone who had read the rules saw its messages:
 * [precision, recall, right, wrong or unexpected, missed].
 */
const FIRST_BLIND: Record<string, [string, string, number, number, number]> = {
  deal: ['1.000', '0.969', 93, 0, 3], stage: ['0.947', '0.947', 18, 1, 1], value: ['1.000', '0.750', 12, 0, 4],
  closeDate: ['1.000', '0.789', 15, 0, 4], probability: ['1.000', '0.500', 6, 0, 6], nextStep: ['1.000', '0.909', 10, 0, 1],
  bdm: ['1.000', '0.800', 8, 0, 2], tdm: ['1.000', '0.545', 6, 0, 5], budget: ['1.000', '0.750', 6, 0, 2],
  solutionOutline: ['1.000', '0.600', 3, 0, 2], proposalRef: ['1.000', '0.600', 3, 0, 2],
};

/** The three tables, what they mean, and every miss. */
export function assistantSection(date: string): string {
  const tuning = scoreLabelledUpdates(TUNING_SET);
  const heldOut = scoreLabelledUpdates(HELD_OUT_SET);
  const blind = scoreLabelledUpdates(BLIND_SET);
  const time = timePerMessage();
  const rows = tuning.scores.map((t, i) => {
    const h = heldOut.scores[i];
    const b = blind.scores[i];
    return `| ${t.field} | ${t.tp + t.fn} | ${pct(t.precision)} | ${pct(t.recall)} | ${met(t)} | ${h.tp + h.fn} | ${pct(h.precision)} | ${pct(h.recall)} | ${met(h)} | ${b.tp + b.fn} | ${b.tp} | ${b.fp} | ${b.fn} | **${pct(b.precision)}** | **${pct(b.recall)}** | ${met(b)} |`;
  });
  const lowPrecision = heldOut.scores.filter((s) => s.precision < 0.95);
  const lowRecall = heldOut.scores.filter((s) => s.recall < 0.8);
  const total = (scores: FieldScore[], k: 'tp' | 'fp' | 'fn') => scores.filter((s) => s.field !== 'deal').reduce((n, s) => n + s[k], 0);
  const [tp, fp, fn] = (['tp', 'fp', 'fn'] as const).map((k) => total(heldOut.scores, k));
  const [btp, bfp, bfn] = (['tp', 'fp', 'fn'] as const).map((k) => total(blind.scores, k));
  const blindLowPrecision = blind.scores.filter((s) => s.precision < 0.95);
  const blindLowRecall = blind.scores.filter((s) => s.recall < 0.8);
  const blindChanged = blind.scores.some((b) => {
    const f = FIRST_BLIND[b.field];
    return b.tp !== f[2] || b.fp !== f[3] || b.fn !== f[4];
  });
  return [
    ASSISTANT_HEADING,
    '',
    `Run of ${date}: \`npm run bench -- --only=assistant\` over three labelled sets in test/fixtures/assistant/ (deal books in`,
    `deal-books.json): the **tuning set** (updates.jsonl, ${tuning.items} messages, ${tuning.byLanguage.en} English, ${tuning.byLanguage.zh} Chinese), written together with the rules, and the`,
    `**held-out set** (held-out.jsonl, ${heldOut.items} messages, ${heldOut.byLanguage.en} English, ${heldOut.byLanguage.zh} Chinese or mixed), written by someone who had read neither the rules`,
    '(src/domain/understand/) nor the tuning texts, as SEs type after a meeting: abbreviations, typos, lower case, emojis,',
    'several facts at once, numbers and dates that are no value or close date, hedges, negations, questions, chit-chat;',
    `and **blind set 2** (blind-2.jsonl, ${blind.items} messages, ${blind.byLanguage.en} English, ${blind.byLanguage.zh} Chinese or mixed), written the same way and committed`,
    'before its writer read the rules, either set, or any figure in this section. **Blind set 2 is the honest measure**',
    '(below); the other two columns are tuning figures.',
    'Target per field (issue 21 §5): precision ≥ 0.95, recall ≥ 0.8. `test/domain/understand/labelled-updates.spec.ts` holds',
    'the extractor to it on the tuning set; `held-out-updates.spec.ts` holds precision ≥ 0.95 on every field of the held-out set;',
    '`blind-2-updates.spec.ts` holds precision ≥ 0.95 on the fields of blind set 2 that met it on its first run (all but stage).',
    `Time per message (tuning set): median ${time.median.toFixed(3)} ms, p99 ${time.p99.toFixed(3)} ms (${time.calls} calls, this machine, shared).`,
    '',
    '| field | tuning: stated | precision | recall | met | held-out: stated | precision | recall | met | blind 2: stated | right | wrong or unexpected | missed | precision | recall | met |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'A wrong value counts once as wrong (precision) and once as missed (recall). Text fields (next step, evidence) count as',
    'right when the proposed text contains the labelled words. The note is not scored (it is the clauses nothing else read).',
    '',
    '### Blind set 2: the honest measure',
    '',
    'Blind set 2 was written for issue 21 §5 after the held-out set had been used for tuning: 100 messages as different',
    'SEs type them in Teams after meetings and calls (short and long, lower case, typos such as “adventrue works” and',
    '“probablity”, abbreviations such as “Adv Works” and “LZ”, emojis, several facts at once, seat counts, PO numbers,',
    'discounts and go-live or meeting dates that are no value or close date, hedges, negations, questions, self-corrections,',
    'chit-chat), labelled with what a careful person would want proposed and nothing that is unclear. Labelling rules,',
    'fixed before the first run: a value’s currency only when the message states it; “end of Q2” and 第二季度末 are the',
    'quarter’s last day; a budget figure is budget evidence, not the value; “still 60%” and “value unchanged” propose',
    'nothing. It was scored once, as committed, and nothing in src/domain/understand/ was changed for it.',
    '',
    `First run (2026-12-07T22:06:06Z), deal aside: 88 field changes proposed, 87 right and 1 wrong (precision 0.989);`,
    '29 of the 116 stated missed (recall 0.750). Per field, precision / recall:',
    '',
    '| field | right | wrong or unexpected | missed | precision | recall |',
    '|---|---|---|---|---|---|',
    ...blind.scores.map((b) => {
      const f = FIRST_BLIND[b.field];
      return `| ${b.field} | ${f[2]} | ${f[3]} | ${f[4]} | ${f[0]} | ${f[1]} |`;
    }),
    '',
    blindChanged
      ? `**Now (this run) differs from the first run** (${btp + bfp} proposed, ${btp} right, ${bfp} wrong, ${bfn} of ${btp + bfn} missed): if rules were changed while looking at blind set 2, the first run above is the honest figure and a fresh set is needed.`
      : 'This run equals the first run: the figures above are still clean.',
    `Below the precision target now: ${names(blindLowPrecision)}. Below the recall target now: ${recalls(blindLowRecall)}.`,
    '',
    '- **Precision holds on new phrasing.** The one wrong read is a stage: “Northwind SOC going to proof next month',
    '  hopefully, if the pilot scope is agreed” proposed Proof (an intention with a hedge and a condition, the class the',
    '  tuning fixed for “wants to go to proof next month”, in words it does not know). Every other trap proposed nothing or',
    '  the right thing: negations (“budget not approved yet”), questions, “still 60%”, “value stays 1.2m”, seat and site',
    '  counts, PO numbers, 24/7, “竞争对手报价低了20%”, 九折, go-live and meeting dates, “1.2亿？不对，是120万”.',
    '- **Recall is far below the tuned sets’ figures** (held-out now 0.80–1.00 per field, tuning 0.87–1.00): probability',
    '  0.500, tdm 0.545, solution outline and proposal 0.600, value and budget 0.750, close date 0.789; bdm 0.800,',
    '  next step 0.909, stage 0.947, deal 0.969. The held-out set’s first clean run had the same shape (stage 0.458,',
    '  tdm 0.300, probability 0.563), so the tuned figures say what the rules learned, not what a new SE will see.',
    '- **Typical misses.** A percentage with no probability word or after other words (“…, closing end of April, 80%”,',
    '  “90% now”, “I’d put it at 30%”, “close date 3月15日, 80%”) and the typo “probablity”; 赢率 with a hedge before the',
    '  figure (“赢率 应该有六成吧”). A role after the name or in another clause (“Kenji Sato) is now the TDM”,',
    '  “Raj Patel今天来了，他是TDM”, “She’ll be our technical decision maker”, “李娜是我们的业务决策人”, “技术决策人现在是张伟”),',
    '  a name in brackets after the role (“BDM (Li Wei, CFO)”). Value verbs and forms it does not know (“raised the deal',
    '  to 2.4m”, “new value €950k”, “est 350k USD”, “金额下调为 180 万” with a space before 万). Close dates as “they sign',
    '  this Friday”, “contract by end of May”, “close date 28 Feb” beside another date, “下个月15号签约”. Evidence worded',
    '  otherwise (“Budget: £450k approved”, “预算已经approved了”, “技术方案概述已经发过去了”, “方案已确认”, “SOW编号”,',
    '  “proposal 编号”), “next: draft SOW”, “Lost Litware … to AWS” with the outcome first, and short or misspelt account',
    '  names (“Adv Works”, “adv works”, “adventrue works”).',
    '- **What it means.** Quote blind set 2 for the offline extractor: precision meets the target on every field but',
    '  stage (0.947, one message), recall meets it on deal, stage, next step and bdm only. A proposal the extractor makes',
    '  can be trusted; on new phrasing it will miss about a quarter of the facts stated, which the user then adds by hand',
    '  or by command. Blind set 2 stops being a clean measure as soon as its misses are used to write rules: when that',
    '  happens, keep the first run above as its honest figure and write blind set 3 the same way.',
    '',
    '### The held-out set is no longer held out',
    '',
    'The held-out set was first scored clean (run of 2026-12-07T21:51:34Z, before any rule was changed for it). Its misses',
    'and wrong reads were then used to find **classes of language** the extractor lacked (issue 21 §2), each rule written',
    'for the class and tested on sentences of our own (`test/domain/understand/extract-update-phrasing.spec.ts`), never',
    'on the held-out messages. That still makes the held-out figures below a **tuning figure now, not a clean held-out',
    'measure**: the rules were chosen by looking at these messages. The next honest check is a fresh blind set, written',
    'the same way by someone who has seen neither set nor the rules: blind set 2, above.',
    '',
    '| held-out field | first, clean: precision | recall | now: precision | recall |',
    '|---|---|---|---|---|',
    ...heldOut.scores.map((h) => `| ${h.field} | ${FIRST_CLEAN[h.field][0]} | ${FIRST_CLEAN[h.field][1]} | ${pct(h.precision)} | ${pct(h.recall)} |`),
    '',
    `Now, on the held-out set: ${tp + fp} field changes proposed (deal aside), ${tp} right and ${fp} wrong, ${fn} of the ${tp + fn} stated`,
    `missed (first clean run: 83 proposed, 79 right, 4 wrong, 56 of 135 missed). Below the precision target: ${names(lowPrecision)}.`,
    `Below the recall target: ${recalls(lowRecall)}.`,
    '',
    '- **Precision first.** The four wrong reads of the clean run were each a class, now read as none or right: an',
    '  intention, a plan or a question is no move and no value (“wants to go to proof next month”, “should we move to',
    '  proof?”, “might slip to april”), an open alternative is no value (“1.5m or keep 1.2m?”), a self-correction takes',
    '  the corrected amount or nothing (“1.3亿？不对，是1300万”), and traditional 萬/億 (with other traditional forms of',
    '  the readers’ words) read as 万/亿. One wrong read the new person rule made at first (“TDM 张伟 离职了”) became a',
    '  class too: a person leaving empties the role.',
    '- **Recall, by general rules.** Short account names in any case when distinctive (no other visible account starts',
    '  the same way; common words such as “adventure” only as the account capitalises them), Chinese short names (the',
    '  first two characters; 东方, 中国 and other generic leads never), “Contoso中国” without the space; plain outcomes',
    '  (won, signed, lost, qualified, 赢了, 签了, 输了, 丢了) only right after or before the deal’s name or as a clause of',
    '  their own; arrows to a stage; “pushed/moved/slipped close to <date>”, a bare 签 ending its phrase after a date,',
    '  “decision expected by”; a probability without % after its word, 调到, 把握…七成; a known person right after a',
    '  role word (“TDM Raj”, “tdm li wei”, “BDM 李娜”), “changed to”, 换成; value verbs (drops to, 改成), “final”, an',
    '  arrow between two amounts with units, the one amount of a won deal; 预算已批, 预算 OK, 方案已评审通过, 合同编号.',
    '- **Left out on purpose** (precision first): typos (“tailsipn”, “soluton”, “confirmd”), a bare amount, percentage',
    '  or date with no word for it (“250k, 65%, end of march”), pronouns and titles between role and name (“he’s the',
    '  TDM”, “TDM is their CTO, Priya Nair”), “pb” for probability.',
    '- **What it means.** On the tuning set and on the held-out set the extractor now meets precision ≥ 0.95 on every',
    '  field, but both sets shaped the rules, so neither figure is the extractor’s quality on new phrasing. Quote',
    '  blind set 2’s figures (above) instead; recall on new phrasing is well below these.',
    '',
    '### Misses and wrong proposals on blind set 2',
    '',
    ...missLines(blind.scores),
    '',
    '### Misses and wrong proposals on the held-out set',
    '',
    ...missLines(heldOut.scores),
    '',
    '### Misses and wrong proposals on the tuning set',
    '',
    ...missLines(tuning.scores),
  ].join('\n');
}

/** Puts the section into the fixed part of docs/benchmarks.md: in place of the last one, else just above the dated runs. */
export function writeAssistantSection(file: string, section: string): void {
  const doc = readFileSync(file, 'utf8');
  const start = doc.indexOf(ASSISTANT_HEADING);
  if (start >= 0) {
    const next = doc.slice(start + ASSISTANT_HEADING.length).search(/\n## |\n<!-- bench:results/);
    const end = next >= 0 ? start + ASSISTANT_HEADING.length + next + 1 : doc.length;
    writeFileSync(file, `${doc.slice(0, start)}${section}\n\n${doc.slice(end).replace(/^\n+/, '')}`);
    return;
  }
  const at = doc.indexOf(MARKER);
  writeFileSync(file, at >= 0 ? `${doc.slice(0, at)}${section}\n\n${doc.slice(at)}` : `${doc.trimEnd()}\n\n${section}\n`);
}
