import { CallerIdConstants } from 'botbuilder';
import { AuthenticationConstants, AuthenticationError, type BotFrameworkAuthentication } from 'botframework-connector';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';
import { boundTurnRetries } from './connector-retries';

/**
 * The Bot Framework adapter. With an app id it authenticates every inbound request (JWT) and its
 * replies; without one (local mode) authentication is off, which is why config binds to loopback then.
 */
export function createAdapter(config: Config): TeamsAdapter {
  const adapter = newAdapter(config);
  // Replies and roster reads inside a turn: one quick retry at most, so a turn ends well inside Teams's 15 s.
  boundTurnRetries(adapter);
  return adapter;
}

function newAdapter(config: Config): TeamsAdapter {
  const auth = config.auth;
  return refuseUnverifiableTokens(new TeamsAdapter(
    auth
      ? {
          MicrosoftAppId: auth.appId,
          MicrosoftAppPassword: auth.password,
          MicrosoftAppType: auth.appType,
          MicrosoftAppTenantId: auth.tenantId,
          // Tests only (config allows a loopback URL alone): the keys tokens are checked against. Setting one of these
          // makes botbuilder take every endpoint from the configuration, so the rest are the public cloud's own.
          ...(auth.openIdMetadataUrl
            ? {
                ToBotFromChannelOpenIdMetadataUrl: auth.openIdMetadataUrl,
                ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
                ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
                ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
                OAuthUrl: AuthenticationConstants.OAuthUrl,
                ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
                CallerId: CallerIdConstants.PublicAzureChannel,
                ValidateAuthority: true,
              }
            : {}),
        }
      : {},
  ));
}

/**
 * botbuilder answers 401 only for its own AuthenticationError; a token whose signature does not verify raises
 * jsonwebtoken's error instead, which it answers with 500. Any failure to authenticate a request is a 401 here.
 */
function refuseUnverifiableTokens(adapter: TeamsAdapter): TeamsAdapter {
  const auth = (adapter as unknown as { botFrameworkAuthentication?: BotFrameworkAuthentication }).botFrameworkAuthentication;
  if (!auth) return adapter;
  const authenticate = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (...args: Parameters<BotFrameworkAuthentication['authenticateRequest']>) => {
    try {
      return await authenticate(...args);
    } catch (e) {
      if (e instanceof AuthenticationError) throw e;
      throw new AuthenticationError('Unauthorized. The token could not be verified.', 401);
    }
  };
  return adapter;
}
