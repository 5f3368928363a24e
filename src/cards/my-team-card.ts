import type { TeamMemberStatus } from '../domain/quota';
import { formatMoney } from '../i18n/format';
import type { Locale, Translate } from '../i18n/locale';
import { renderCard } from './render-card';
import { md } from './safe-text';

/** One line per report: open NWS (weighted) and attainment this fiscal year. */
export function teamRows(t: Translate, locale: Locale, members: readonly TeamMemberStatus[]) {
  return members.map(({ person, status }) => {
    const m = (amount: number) => formatMoney(locale, { amount, currency: status.currency });
    return {
      name: md(person.name, 80),
      pipeline: t('myTeam.pipelineValue', { open: m(status.open.pg1 + status.open.pg2), weighted: m(status.weighted.pg1 + status.weighted.pg2) }),
      attainment: status.attainment.total === undefined ? t('myTeam.noTarget') : `${status.attainment.total}%`,
    };
  });
}

/** `my team`: a manager's reports with their pipelines and attainment. */
export function myTeamCard(t: Translate, locale: Locale, managerName: string, members: readonly TeamMemberStatus[]) {
  return renderCard('my-team', {
    heading: t('myTeam.heading', { name: md(managerName, 80) }),
    summary: members.length > 0 ? t('myTeam.summary', { count: members.length }) : t('myTeam.empty'),
    columns: { name: t('myTeam.column.name'), pipeline: t('myTeam.column.pipeline'), attainment: t('myTeam.column.attainment') },
    members: teamRows(t, locale, members),
    buttons: { quota: t('myTeam.button.quota'), help: t('button.help') },
  });
}
