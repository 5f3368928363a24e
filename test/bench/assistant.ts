/**
 * `npm run bench -- --only=assistant`: the offline update extractor's precision and recall per field over the labelled
 * set (test/fixtures/assistant/updates.jsonl), and its time per message. The section "Assistant (offline extractor)"
 * of docs/benchmarks.md is replaced with the table (the fixed part above the dated runs), or printed with --no-write.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { extractUpdate } from '../../src/domain/understand/extract-update';
import { loadLabelledUpdates, scoreLabelledUpdates } from '../domain/understand/labelled-updates';
import { MARKER } from './report';

export const ASSISTANT_HEADING = '## Assistant (offline extractor)';

const pct = (x: number) => x.toFixed(3);

/** The table, and the extractor's time per message (median and p99 of 20 passes over the set). */
export function assistantSection(date: string): string {
  const result = scoreLabelledUpdates();
  const { items, contextOf } = loadLabelledUpdates();
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
  const rows = result.scores.map((s) => `| ${s.field} | ${s.tp + s.fn} | ${s.tp} | ${s.fp} | ${s.fn} | ${pct(s.precision)} | ${pct(s.recall)} | ${s.precision >= 0.95 && s.recall >= 0.8 ? 'yes' : '**no**'} |`);
  const misses = result.scores.flatMap((s) => s.misses.map((m) => `- ${s.field}, ${m.kind}: \`${m.id}\` “${m.text}” (got ${JSON.stringify(m.got) ?? 'nothing'}, expected ${JSON.stringify(m.want) ?? 'nothing'})`));
  return [
    ASSISTANT_HEADING,
    '',
    `Run of ${date}: \`npm run bench -- --only=assistant\` over ${result.items} labelled messages (${result.byLanguage.en} with the English deal book, ${result.byLanguage.zh} with the Chinese one;`,
    'test/fixtures/assistant/). Target per field (issue 21 §5): precision ≥ 0.95, recall ≥ 0.8; `test/domain/understand/labelled-updates.spec.ts`',
    `holds the extractor to it. Time per message: median ${at(0.5).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms (${times.length} calls, this machine, shared).`,
    '',
    '| field | stated | right | wrong or unexpected | missed | precision | recall | target met |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'A wrong value counts once as wrong (precision) and once as missed (recall). Text fields (next step, evidence) count as',
    'right when the proposed text contains the labelled words. The note is not scored (it is the clauses nothing else read).',
    '',
    'What the figures mean: the set was written together with the rules (src/domain/understand/), so it is a development set',
    'and these are upper figures; unseen phrasing will do worse, mostly in recall, since every reader needs a clear cue',
    '(a value word, a close word, a move verb, a role word) and leaves out a field stated two different ways, a hedged or',
    'negated clause, a past close date, a month without a day, and any bulk order ("close all my deals won").',
    'The kinds of miss: typos in a cue word (the readers match words exactly), word orders no pattern covers ("Lost',
    'Litware to Globex"), two amounts in one value clause, and relative Chinese periods chrono-node does not read (两周后).',
    '',
    'Misses and wrong proposals on this run:',
    '',
    ...(misses.length ? misses : ['- none']),
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
