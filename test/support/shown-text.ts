/**
 * What a Teams client shows of a TextBlock's markdown: an HTML-looking `<word>` outside a code span is read as a tag
 * and dropped (as the Agents Playground and Teams do), code spans show their content as typed, and backslash escapes
 * are not shown.
 */
export function shownText(markdown: string): string {
  return markdown
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? part.slice(1, -1) : part.replace(/(?<!\\)<\/?[A-Za-z][^<>]*>/g, '').replace(/\\(.)/g, '$1')))
    .join('');
}

/** Every `<placeholder>` of a catalogue text, as the user should see it. */
export const placeholdersOf = (text: string): string[] => text.match(/<[^<>\n]+>/g) ?? [];
