import type { ProactiveCard } from '../domain/proactive-card';
import type { Translate } from '../i18n/locale';
import { messageCard } from './message-card';
import { md } from './safe-text';

type AppNotInstalled = Extract<ProactiveCard, { type: 'appNotInstalled' }>;

/** To a deal's owner: DealDesk may not install itself for a member of the deal's team, and the install link to share. */
export function appNotInstalledCard(t: Translate, notice: AppNotInstalled) {
  const name = md(notice.member, 80);
  // Not finding itself in the app catalog has its own way out: the setting that names the catalog id.
  const body = notice.catalog ? 'install.bodyCatalog' : 'install.body';
  const text = `${t(body, { name, deal: `${notice.dealId} ${md(notice.dealTitle, 80)}`, permission: notice.permission })}\n\n[${t('install.link')}](${notice.installLink})`;
  return messageCard(t, text, { heading: t('install.heading', { name }) });
}
