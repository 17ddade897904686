/**
 * Short-lived signed dashboard links: base64url(JSON {w, p, e}) "." base64url(HMAC-SHA256). The key
 * is BEACON_ENCRYPTION_KEY when set; otherwise a random key generated per process, so links stop
 * working on restart and each instance of a multi-instance deployment would refuse the others'
 * links — set the key there.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import type { WorkspaceId } from '../model.ts'

const payloadSchema = z.object({ w: z.string().min(1).max(500), p: z.string().min(1).max(200), e: z.number().int().positive() })

export interface DashboardGrant {
  workspace: WorkspaceId
  personId: string
  expiresAt: Date
}

export type TokenCheck = { ok: true; grant: DashboardGrant } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' }

const processKey = randomBytes(32)

export function dashboardKey(configured: Buffer | undefined): Buffer {
  return configured ?? processKey
}

function mac(key: Buffer, body: string): Buffer {
  // A purpose prefix keeps this MAC from ever being valid for another use of the same key.
  return createHmac('sha256', key).update(`beacon-dashboard.v1.${body}`).digest()
}

export function signDashboardToken(key: Buffer, g: DashboardGrant): string {
  const body = Buffer.from(JSON.stringify({ w: g.workspace, p: g.personId, e: g.expiresAt.getTime() })).toString('base64url')
  return `${body}.${mac(key, body).toString('base64url')}`
}

export function verifyDashboardToken(key: Buffer, token: unknown, now: Date): TokenCheck {
  if (typeof token !== 'string' || token.length > 2000) return { ok: false, reason: 'malformed' }
  const [body, sig, extra] = token.split('.')
  if (!body || !sig || extra !== undefined) return { ok: false, reason: 'malformed' }
  const expected = mac(key, body)
  const given = Buffer.from(sig, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' }
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
  } catch {
    return { ok: false, reason: 'malformed' }
  }
  const p = payloadSchema.safeParse(parsed)
  if (!p.success) return { ok: false, reason: 'malformed' }
  if (p.data.e <= now.getTime()) return { ok: false, reason: 'expired' }
  return { ok: true, grant: { workspace: p.data.w, personId: p.data.p, expiresAt: new Date(p.data.e) } }
}
