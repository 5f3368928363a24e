import type { CardVerb } from '../chat/card-verbs';
import type { Command } from '../chat/command';
import type { Translate } from '../i18n/locale';
import { renderCard } from './render-card';

export interface MessageButton {
  title: string;
  /** The command the button runs (typed: it never goes back through the text parser). */
  command: Command;
}

/** A short message with buttons that run commands; always offers Help. */
export function messageCard(t: Translate, text: string, options: { heading?: string; buttons?: MessageButton[] } = {}) {
  const buttons = [...(options.buttons ?? []), { title: t('button.help'), command: { name: 'help' } } as const];
  return renderCard('message', {
    heading: options.heading ?? '',
    text,
    buttons: buttons.map((b) => ({ ...b, verb: 'command.run' satisfies CardVerb })),
  });
}
