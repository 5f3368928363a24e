/** The languages DealDesk speaks, and which one a person gets: a choice of theirs, kept with the person. The catalogues are in src/i18n/. */
export const LOCALES = ['en-US', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en-US';

/** Picks a supported locale from an activity's `locale` ("zh-cn", "zh-Hans-CN", "zh" → zh-CN; anything else → en-US). */
export function pickLocale(requested: unknown): Locale {
  const tag = typeof requested === 'string' ? requested.trim().toLowerCase() : '';
  if (tag === 'zh' || tag.startsWith('zh-cn') || tag.startsWith('zh-hans') || tag.startsWith('zh-sg')) return 'zh-CN';
  return DEFAULT_LOCALE;
}

/** A person's language: the one they chose (`language`), else their Teams locale's. */
export const localeOfPerson = (person: { language?: string; locale?: string } | undefined): Locale => pickLocale(person?.language ?? person?.locale);
