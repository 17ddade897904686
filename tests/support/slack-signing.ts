/**
 * Signs requests the way Slack does: HMAC-SHA256 over `v0:{timestamp}:{exact body bytes}`, hex,
 * in `X-Slack-Signature: v0=<hex>`. Tests build the body once and send those same bytes.
 */
import { createHmac } from 'node:crypto'

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`
}

export interface SignedRequest {
  body: string
  headers: Record<string, string>
}

export interface SignOptions {
  /** Seconds since the epoch; default now. Older than 300 s is "stale" to Bolt. */
  timestamp?: number
  contentType?: string
  extraHeaders?: Record<string, string>
}

export function signed(secret: string, body: string, contentType: string, o: SignOptions = {}): SignedRequest {
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000)
  return {
    body,
    headers: {
      'content-type': o.contentType ?? contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSignature(secret, ts, body),
      ...o.extraHeaders,
    },
  }
}

/** An Events API (or url_verification) JSON body. */
export function signedJson(secret: string, payload: unknown, o: SignOptions = {}): SignedRequest {
  return signed(secret, JSON.stringify(payload), 'application/json', o)
}

/** A slash command: form fields, exactly `application/x-www-form-urlencoded` as Slack sends. */
export function signedForm(secret: string, fields: Record<string, string>, o: SignOptions = {}): SignedRequest {
  return signed(secret, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', o)
}

/** Interactivity (shortcuts, block actions, view submissions): one `payload=<JSON>` form field. */
export function signedInteraction(secret: string, payload: unknown, o: SignOptions = {}): SignedRequest {
  return signedForm(secret, { payload: JSON.stringify(payload) }, o)
}

export async function post(url: string, req: SignedRequest): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now()
  const res = await fetch(url, { method: 'POST', headers: req.headers, body: req.body })
  const text = await res.text()
  return { status: res.status, text, ms: performance.now() - started }
}
