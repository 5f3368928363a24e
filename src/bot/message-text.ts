import { cleanText } from '../domain/deal-fields';
import { cutToFit } from '../domain/shorten-text';

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Decodes HTML character references (&amp;, &#39;, &#x1F600;); unknown names stay as typed. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : ' ';
  });
}

/**
 * The text of a Teams message as one clean line: its HTML body (`messagePayload.body.content`) without
 * tags, with character references decoded, scripts and styles dropped, block ends as spaces. What comes
 * out is only ever plain text for a card input or a stored field, escaped again wherever it is shown.
 */
export function messageText(payload: unknown): string {
  const body = (payload as { body?: { content?: unknown; contentType?: unknown } } | undefined)?.body;
  const content = typeof body?.content === 'string' ? cutToFit(body.content, 100_000) : '';
  if (body?.contentType === 'text') return cleanText(content);
  const stripped = content
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?(br|p|div|li|ul|ol|tr|h[1-6]|blockquote)\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/</g, ' ');
  return cleanText(decodeEntities(stripped));
}
