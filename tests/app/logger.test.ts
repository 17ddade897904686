import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/app/config.ts'
import { createLogger } from '../../src/app/logger.ts'

function capture() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString())
      cb()
    },
  })
  return { lines, log: createLogger('info', stream) }
}

describe('logger', () => {
  it('never writes tokens or secrets, wherever they sit in a log object', () => {
    const { lines, log } = capture()
    const config = loadConfig({
      SLACK_SIGNING_SECRET: 'sig-SECRET-1',
      SLACK_BOT_TOKEN: 'xoxb-SECRET-2',
      MICROSOFT_APP_ID: 'a',
      MICROSOFT_APP_PASSWORD: 'pw-SECRET-3',
    })
    log.info({ config }, 'config')
    log.info({ headers: { authorization: 'Bearer SECRET-4', 'x-slack-signature': 'v0=SECRET-5' } }, 'req')
    log.info({ installation: { botToken: 'xoxb-SECRET-6' }, token: 'SECRET-7' }, 'install')
    const out = lines.join('')
    expect(out).not.toMatch(/SECRET/)
    expect(out).toContain('[redacted]')
    expect(out).toContain('"signingSecret":"[redacted]"')
  })

  it('blanks secrets that libraries write as text (request bodies, URLs, headers) and keeps the rest readable', () => {
    const { lines, log } = capture()
    log.info('http request body: {"code":"SECRET-1","client_id":"111.222","client_secret":"SECRET-2","token_type":"bot"}')
    log.info('redirect to /slack/oauth_redirect?code=SECRET-3&state=abc')
    log.info('socket mode with xapp-1-A0SECRET-9-abc')
    log.info({ err: new Error('request failed: Authorization: Bearer SECRET-4 token=xoxb-SECRET-5') }, 'status code: 404')
    const out = lines.join('')
    expect(out).not.toMatch(/SECRET/)
    expect(out).toContain('client_id\\":\\"111.222')
    expect(out).toContain('status code: 404')
  })
})
