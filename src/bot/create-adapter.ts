import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';

/**
 * The Bot Framework adapter. With an app id it authenticates every inbound request (JWT) and its
 * replies; without one (local mode) authentication is off, which is why config binds to loopback then.
 */
export function createAdapter(config: Config): TeamsAdapter {
  const auth = config.auth;
  return new TeamsAdapter(
    auth
      ? { MicrosoftAppId: auth.appId, MicrosoftAppPassword: auth.password, MicrosoftAppType: auth.appType, MicrosoftAppTenantId: auth.tenantId }
      : {},
  );
}
