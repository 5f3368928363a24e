import type { Config } from '../config';
import type { Clock } from '../ports/clock.port';
import type { CrmTarget } from '../ports/crm-target.port';
import type { Logger } from '../ports/logger.port';
import { dataverseTarget } from './dataverse/dataverse-target';
import { webhookTarget } from './webhook-target';

/**
 * The deployment's one system of record, from the configuration: the signed webhook (CRM_WEBHOOK_URL), Dynamics 365
 * (DATAVERSE_URL), or undefined when no CRM is configured (config-combinations.ts refuses two at once).
 */
export function crmTargetOf(config: Config, deps: { clock: Clock; logger: Logger }): CrmTarget | undefined {
  if (config.crm.webhook) return webhookTarget({ ...config.crm.webhook, clock: deps.clock });
  if (config.dataverse) return dataverseTarget(config, { logger: deps.logger });
  return undefined;
}
