/**
 * A local stand-in for the Bot Framework channel's token issuer: OpenID metadata and a JWKS on
 * loopback, and RS256 tokens signed with a key generated per run, shaped like the real ones
 * (iss https://api.botframework.com, aud = the bot's app id, serviceurl claim, endorsements).
 * Point BOT_OPENID_METADATA_URL at `metadataUrl` and botbuilder validates them for real.
 */
import { createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com'

export interface TokenOptions {
  audience: string
  serviceUrl: string
  /** Seconds from now; negative for an expired token. Default 3600. */
  expiresIn?: number
  issuer?: string
  /** Sign with a key the metadata does not publish. */
  foreignKey?: boolean
}

export interface FakeBotFrameworkIssuer {
  metadataUrl: string
  token(o: TokenOptions): string
  close(): Promise<void>
}

/**
 * The real signing keys are endorsed for every channel the Bot Framework relays, not only Teams,
 * so a valid token proves "Bot Framework", never "Teams".
 */
const ENDORSEMENTS = ['msteams', 'skype', 'webchat', 'directline', 'slack', 'facebook', 'telegram', 'email', 'emulator']

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url')

function jwt(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid, x5t: kid }))
  const body = b64url(JSON.stringify(payload))
  const sig = sign('sha256', Buffer.from(`${head}.${body}`), key)
  return `${head}.${body}.${b64url(sig)}`
}

export async function startFakeBotFrameworkIssuer(): Promise<FakeBotFrameworkIssuer> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  const kid = randomUUID()
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' })
  let base = ''
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/v1/.well-known/openidconfiguration') {
      res.end(
        JSON.stringify({ issuer: BOT_FRAMEWORK_ISSUER, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }),
      )
    } else if (req.url === '/v1/.well-known/keys') {
      res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: ENDORSEMENTS }] }))
    } else {
      res.statusCode = 404
      res.end('{}')
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    token(o) {
      const now = Math.floor(Date.now() / 1000)
      const exp = now + (o.expiresIn ?? 3600)
      const payload = {
        iss: o.issuer ?? BOT_FRAMEWORK_ISSUER,
        aud: o.audience,
        serviceurl: o.serviceUrl,
        nbf: Math.min(now, exp) - 60,
        iat: Math.min(now, exp) - 60,
        exp,
      }
      return jwt(payload, o.foreignKey ? foreign : privateKey, kid)
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
