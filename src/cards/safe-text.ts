import { shorten } from '../domain/shorten-text';

/**
 * User text shown in a TextBlock or FactSet is markdown there: escape it so a deal title can't
 * become a link, a mention or emphasis, and can't look like a template expression. Only what can
 * form markup is escaped, so ordinary text ("D-1042", "v2.0") reads unchanged. Inputs' values are
 * not markdown and take the plain text.
 */
const INLINE = /[\\`*_[\]<>~|]/g;
const LINE_START = /^(\s*)(?:([#+>-])|(\d+)\.)/gm;

/** For user text placed inside a sentence: inline markup is escaped. */
export const mdInline = (text: string, max = 500): string =>
  shorten(text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' '), max)
    .replace(INLINE, (c) => `\\${c}`)
    .replace(/\$\{/g, '$\u200b{');

/** For user text that starts a TextBlock or fact: also what would open a heading, list or quote. */
export const md = (text: string, max = 500): string =>
  mdInline(text, max).replace(LINE_START, (_all, space: string, mark?: string, digits?: string) => (digits ? `${space}${digits}\\.` : `${space}\\${mark}`));

/** For an input's prefilled value: shortened (with "…" when cut), one line, no control characters. */
export const plain = (text: string, max = 500): string =>
  shorten(text.replace(/[\u0000-\u001f\u007f]/g, ' '), max);
