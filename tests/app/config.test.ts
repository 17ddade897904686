import { describe, expect, it } from 'vitest'
import { ConfigError, listenHost, loadConfig } from '../../src/app/config.ts'

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (e) {
    if (e instanceof ConfigError) return e.problems
    throw e
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('runs the local shell on embedded defaults when nothing is set', () => {
    const c = loadConfig({})
    expect(c.mode).toBe('shell')
    expect(c.port).toBe(3000)
    expect(c.databasePath).toBe('./data/beacon.db')
    expect(c.redisUrl).toBeUndefined()
    expect(c.knowledgeReaction).toBe('bookmark')
    expect(c.slack).toBeUndefined()
    expect(c.teams).toBeUndefined()
  })

  it('serves HTTP when Slack is configured, with the default Web API URL', () => {
    const c = loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' })
    expect(c.mode).toBe('serve')
    expect(c.slack).toMatchObject({ signingSecret: 's', botToken: 'xoxb-1', apiUrl: 'https://slack.com/api/' })
  })

  it('serves HTTP for Teams with an app id or TEAMS_ANONYMOUS=true', () => {
    expect(loadConfig({ MICROSOFT_APP_ID: 'a', MICROSOFT_APP_PASSWORD: 'p' }).mode).toBe('serve')
    const anon = loadConfig({ TEAMS_ANONYMOUS: 'true' })
    expect(anon.mode).toBe('serve')
    expect(anon.teams?.anonymous).toBe(true)
    expect(loadConfig({ TEAMS_ANONYMOUS: 'false' }).mode).toBe('shell')
  })

  it('names every bad variable at once', () => {
    const p = problems({ PORT: 'eighty', REDIS_URL: 'http://x', SLACK_BOT_TOKEN: 'nope', SLACK_API_URL: 'not a url' })
    expect(p.join('\n')).toMatch(/PORT/)
    expect(p.join('\n')).toMatch(/REDIS_URL/)
    expect(p.join('\n')).toMatch(/SLACK_BOT_TOKEN.*xoxb-/)
    expect(p.join('\n')).toMatch(/SLACK_API_URL/)
    expect(p).toHaveLength(4)
  })

  it('explains what goes with what', () => {
    expect(problems({ SLACK_SIGNING_SECRET: 's' })).toEqual([expect.stringMatching(/^SLACK_BOT_TOKEN: required/)])
    expect(problems({ SLACK_CLIENT_ID: 'c', SLACK_SIGNING_SECRET: 's' }).join('\n')).toMatch(
      /SLACK_CLIENT_SECRET[\s\S]*SLACK_STATE_SECRET[\s\S]*BEACON_ENCRYPTION_KEY/,
    )
    expect(problems({ MICROSOFT_APP_ID: 'a' })).toEqual([expect.stringMatching(/^MICROSOFT_APP_PASSWORD/)])
    expect(problems({ MICROSOFT_APP_ID: 'a', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'SingleTenant' })).toEqual([
      expect.stringMatching(/^MICROSOFT_APP_TENANT_ID/),
    ])
  })

  it('treats empty variables as unset and normalises URLs and reaction names', () => {
    const c = loadConfig({
      PORT: '',
      KNOWLEDGE_REACTION: ':pushpin:',
      PUBLIC_URL: 'https://beacon.example.com/',
      SLACK_SIGNING_SECRET: 's',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
    })
    expect(c.port).toBe(3000)
    expect(c.knowledgeReaction).toBe('pushpin')
    expect(c.publicUrl).toBe('https://beacon.example.com')
    expect(c.slack?.apiUrl).toBe('http://127.0.0.1:9/api/')
  })

  it('accepts a 32-byte encryption key as hex or base64 only', () => {
    const hex = 'ab'.repeat(32)
    expect(loadConfig({ BEACON_ENCRYPTION_KEY: hex }).encryptionKey?.length).toBe(32)
    expect(loadConfig({ BEACON_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }).encryptionKey?.length).toBe(32)
    expect(problems({ BEACON_ENCRYPTION_KEY: 'short' })).toEqual([expect.stringMatching(/BEACON_ENCRYPTION_KEY/)])
  })

  it('KNOWLEDGE_REFRESH_DEBOUNCE_MS: unset leaves the core default; a number of ms within bounds; nonsense is named', () => {
    expect(loadConfig({}).knowledgeRefreshDebounceMs).toBeUndefined()
    expect(loadConfig({ KNOWLEDGE_REFRESH_DEBOUNCE_MS: '250' }).knowledgeRefreshDebounceMs).toBe(250)
    expect(problems({ KNOWLEDGE_REFRESH_DEBOUNCE_MS: '5' })).toEqual([expect.stringMatching(/^KNOWLEDGE_REFRESH_DEBOUNCE_MS: at least 100/)])
    expect(problems({ KNOWLEDGE_REFRESH_DEBOUNCE_MS: 'soon' })).toEqual([expect.stringMatching(/^KNOWLEDGE_REFRESH_DEBOUNCE_MS/)])
  })

  it('SLACK_DEPARTMENT_FIELD: optional; a field id or a label, trimmed; a Slack setting that does not start Slack on its own', () => {
    const slack = { SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' }
    expect(loadConfig(slack).slack?.departmentField).toBeUndefined()
    expect(loadConfig({ ...slack, SLACK_DEPARTMENT_FIELD: '' }).slack?.departmentField).toBeUndefined()
    expect(loadConfig({ ...slack, SLACK_DEPARTMENT_FIELD: 'Xf01ABCDEF' }).slack?.departmentField).toBe('Xf01ABCDEF')
    expect(loadConfig({ ...slack, SLACK_DEPARTMENT_FIELD: '  Department ' }).slack?.departmentField).toBe('Department')
    expect(problems({ ...slack, SLACK_DEPARTMENT_FIELD: 'x'.repeat(101) })).toEqual([expect.stringMatching(/^SLACK_DEPARTMENT_FIELD: at most 100/)])
    const alone = loadConfig({ SLACK_DEPARTMENT_FIELD: 'Department' })
    expect(alone.mode).toBe('shell')
    expect(alone.slack).toBeUndefined()
  })
})

describe('HOST', () => {
  it('defaults to this machine for the shell and every interface for serve; takes addresses and host names', () => {
    expect(listenHost(loadConfig({}), 'shell')).toBe('127.0.0.1')
    expect(listenHost(loadConfig({}), 'serve')).toBeUndefined()
    for (const host of ['0.0.0.0', '::', '::1', 'localhost', 'beacon.internal.example'])
      expect(listenHost(loadConfig({ HOST: host }), 'serve')).toBe(host)
    for (const host of ['not a host', 'http://x', 'a..b', '-x'])
      expect(problems({ HOST: host })).toEqual([expect.stringMatching(/^HOST: an IP address/)])
  })
})
