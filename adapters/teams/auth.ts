/**
 * Bot Framework authentication, both ways: inbound JWTs checked by botbuilder against the channel's
 * OpenID metadata, outbound app-only tokens (Bot Connector, Graph) from one small client-credentials
 * client. The login and metadata URLs are configurable so tests can run a local token issuer; MSAL
 * (botbuilder's default) refuses non-https authorities, which is why the outbound side is ours.
 */
import { ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from './botbuilder.ts'
import { z } from 'zod'
import type { TeamsConfig } from './host.ts'
import { BeaconError } from '../../src/core/errors.ts'

type CredentialsFactory = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]>
type Credentials = Awaited<ReturnType<CredentialsFactory['createCredentials']>>
type WebResource = Parameters<Credentials['signRequest']>[0]

export interface TeamsEndpoints {
  /** Azure AD authority host; tokens come from `${loginUrl}/${tenant}/oauth2/v2.0/token`. */
  loginUrl: string
  /** Where the Bot Framework channel publishes the keys that sign inbound requests. */
  openIdMetadataUrl: string
}

const tokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() })

/** Client-credentials tokens, cached per tenant and scope until a minute before they expire. */
export class AppTokenClient {
  private readonly cache = new Map<string, { token: string; expiresAt: number }>()
  private readonly pending = new Map<string, Promise<string>>()

  constructor(
    private readonly appId: string,
    private readonly appPassword: string,
    private readonly loginUrl: string,
  ) {}

  async token(tenant: string, scope: string): Promise<string> {
    const key = `${tenant} ${scope}`
    const hit = this.cache.get(key)
    if (hit && hit.expiresAt > Date.now()) return hit.token
    const inflight = this.pending.get(key)
    if (inflight) return inflight
    const p = this.fetchToken(tenant, scope, key).finally(() => this.pending.delete(key))
    this.pending.set(key, p)
    return p
  }

  private async fetchToken(tenant: string, scope: string, key: string): Promise<string> {
    const res = await fetch(`${this.loginUrl}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.appId, client_secret: this.appPassword, scope }),
      signal: AbortSignal.timeout(10_000),
    })
    // Never include the response body: a failed token call can echo request details.
    if (!res.ok) throw new BeaconError('platform_error', `token request for ${scope} failed with HTTP ${res.status}`)
    const parsed = tokenResponse.safeParse(await res.json().catch(() => undefined))
    if (!parsed.success) throw new BeaconError('platform_error', `token response for ${scope} was not understood`)
    const expiresAt = Date.now() + Math.max(0, parsed.data.expires_in - 60) * 1000
    this.cache.set(key, { token: parsed.data.access_token, expiresAt })
    return parsed.data.access_token
  }
}

/** botbuilder's credentials seam, answering with our token client instead of MSAL. */
class TokenClientCredentialsFactory implements CredentialsFactory {
  constructor(
    private readonly appId: string,
    private readonly tokens: AppTokenClient | undefined,
    private readonly botTenant: string,
  ) {}

  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId
  }

  async isAuthenticationDisabled(): Promise<boolean> {
    return this.appId === ''
  }

  async createCredentials(appId: string, audience: string | undefined): Promise<Credentials> {
    const tokens = this.tokens
    if (!tokens || this.appId === '') return { signRequest: async (r: WebResource) => r }
    if (appId !== this.appId) throw new BeaconError('forbidden', 'credentials requested for another app id')
    const scope = `${(audience || 'https://api.botframework.com').replace(/\/+$/, '')}/.default`
    return {
      signRequest: async (r: WebResource) => {
        r.headers.set('Authorization', `Bearer ${await tokens.token(this.botTenant, scope)}`)
        return r
      },
    }
  }
}

export interface TeamsAuth {
  auth: ConfigurationBotFrameworkAuthentication
  /** Undefined in anonymous mode (no app id): Graph and authenticated outbound calls are off. */
  tokens: AppTokenClient | undefined
  appId: string
}

type ConnectorClientOptions = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[4]>

/** `httpClient`: the transport every Bot Connector call goes through (rate limits, retries). */
export function createTeamsAuth(config: TeamsConfig, endpoints: TeamsEndpoints, httpClient?: ConnectorClientOptions['httpClient']): TeamsAuth {
  const appId = config.appId ?? ''
  const tokens = appId && config.appPassword ? new AppTokenClient(appId, config.appPassword, endpoints.loginUrl) : undefined
  // Single-tenant bots get Bot Connector tokens from their own tenant; multi-tenant ones from botframework.com.
  const botTenant = config.appType === 'SingleTenant' && config.tenantId ? config.tenantId : 'botframework.com'
  const factory: CredentialsFactory =
    config.appType === 'UserAssignedMSI' && appId
      ? new ConfigurationServiceClientCredentialFactory({
          MicrosoftAppId: appId,
          MicrosoftAppType: 'UserAssignedMSI',
          ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
        })
      : new TokenClientCredentialsFactory(appId, tokens, botTenant)
  // Every parameter is given explicitly (public Azure cloud values) so only the metadata URL varies.
  const auth = new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: appId,
      ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl: `${endpoints.loginUrl}/${botTenant}`,
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      OAuthUrl: 'https://api.botframework.com',
      ToBotFromChannelOpenIdMetadataUrl: endpoints.openIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: `${endpoints.loginUrl}/common/v2.0/.well-known/openid-configuration`,
      CallerId: 'urn:botframework:azure',
    },
    factory,
    undefined,
    undefined,
    httpClient ? { httpClient } : {},
  )
  return { auth, tokens, appId }
}
