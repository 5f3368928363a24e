/**
 * The line of news at the top of a card ("Saved.", "Moved to Proof.", "Approved – your turn"): what a builder
 * is given. A plain string is good news.
 */
export interface Banner {
  text: string;
  tone: 'good' | 'warning';
}

/** What every template with a banner reads: `${banner.text}` in `${banner.color}`, shown when the text is not empty. */
export interface BannerView {
  text: string;
  color: 'Good' | 'Warning';
}

export function bannerView(banner?: Banner | string): BannerView {
  if (banner === undefined) return { text: '', color: 'Good' };
  if (typeof banner === 'string') return { text: banner, color: 'Good' };
  return { text: banner.text, color: banner.tone === 'warning' ? 'Warning' : 'Good' };
}
