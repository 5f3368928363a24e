import type { Deal } from '../domain/deal';
import type { Locale } from '../domain/locale';
import type { ProactiveCard } from '../domain/proactive-card';
import { translator } from '../i18n/locale';
import { alertCard } from './alert-card';
import { appNotInstalledCard } from './app-not-installed-card';
import { digestCard } from './digest-card';
import { noticeCard } from './notice-card';
import { nudgeCard } from './nudge-card';

/**
 * The one renderer of proactive cards: draws what a use case or a dispatcher queued (a ProactiveCard, data) in the
 * recipient's language, when it is sent. The composition root gives it to the send worker. A notice is drawn from
 * its deal as it is now (`deal`, read by the worker when it sends); undefined when there is nothing to send (the
 * deal is gone, or has no card for the notice now).
 */
export function renderProactive(intent: ProactiveCard, locale: Locale, deal?: Deal): object | undefined {
  const t = translator(locale);
  switch (intent.type) {
    case 'alert':
      return alertCard(t, locale, intent.alert);
    case 'notice':
      return deal && noticeCard(t, locale, deal, intent.notice);
    case 'digest':
      return digestCard(t, locale, intent.digest);
    case 'nudge':
      return nudgeCard(t, locale, intent.rows, { staleAfterDays: intent.staleAfterDays });
    case 'appNotInstalled':
      return appNotInstalledCard(t, intent);
    case 'card':
      return intent.card; // stored rendered, before intents existed
  }
}

export type RenderProactive = typeof renderProactive;
