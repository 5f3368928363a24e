import type { Command } from '../chat/command';
import type { Deal } from '../domain/deal';
import type { PersonRecord } from '../ports/people-repository.port';
import type { Translate } from '../i18n/locale';
import { dealStageLabel } from './labels';
import { renderCard } from './render-card';
import { md } from './safe-text';
import { shorten } from '../domain/shorten-text';

/**
 * Several deals match what the user typed: one button per match, each re-running the user's
 * command with that deal's id (the typed command, authorised again when pressed as if typed).
 */
export function chooseDealCard(t: Translate, fragment: string, matches: readonly Deal[], commandFor: (id: string) => Command) {
  return chooseCard(t('choose.heading', { fragment: md(fragment, 60) }), t('choose.intro'), matches.map((d) => ({
    label: `${d.id} · ${shorten(d.title, 60)} · ${shorten(d.account, 30)} · ${dealStageLabel(t, d)}`,
    command: commandFor(d.id),
  })));
}

/** Several people match: one button per person, re-running the command with that person's id. */
export function choosePersonCard(t: Translate, query: string, matches: readonly PersonRecord[], commandFor: (personRef: string) => Command) {
  return chooseCard(t('choosePerson.heading', { query: md(query, 60) }), t('choose.intro'), matches.map((p) => ({
    label: p.email ? `${shorten(p.name, 60)} · ${shorten(p.email, 60)}` : shorten(p.name, 60),
    command: commandFor(`id:${p.id}`),
  })));
}

/** The choice card: a heading, a question, and one button per choice, each running a command. */
const chooseCard = (heading: string, intro: string, matches: Array<{ label: string; command: Command }>) =>
  renderCard('choose-deal', { heading, intro, matches });
