import type { Deal } from '../domain/deal';
import { ROLES } from '../domain/deal-team';
import type { Translate } from '../i18n/locale';
import { renderCard } from './render-card';
import { md, mdInline } from './safe-text';
import { bannerView } from './banner';
import { dealHeading } from './deal-heading';

/** The deal team with its roles, a Remove button per member, and a small form to add someone. */
export function teamCard(t: Translate, deal: Deal, notice = '') {
  return renderCard('team', {
    banner: bannerView(notice),
    heading: dealHeading(t, 'team.heading', deal),
    empty: t('team.empty'),
    dealId: deal.id,
    members: deal.team.map((m) => ({ label: `${md(m.person.name, 80)} · ${mdInline(m.role, 60)}`, personId: m.person.id, removeTitle: t('button.remove') })),
    addHeading: t('team.addHeading'),
    labels: { person: t('team.person'), role: t('team.role'), required: t('form.required') },
    placeholders: { person: t('team.personPlaceholder'), role: ROLES.join(', ') },
    buttons: { add: t('button.add'), deal: t('button.openDeal') },
  });
}
