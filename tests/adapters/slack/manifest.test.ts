/** The manifests ask for exactly what the adapter uses, and every scope says why. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BOT_SCOPES } from '../../../adapters/slack/scopes.ts'
import { MESSAGE_ACTIONS } from '../../../src/core/events.ts'

const read = (f: string) => readFileSync(new URL(`../../../manifests/slack/${f}`, import.meta.url), 'utf8')
const EVENTS = [
  'app_home_opened',
  'app_mention',
  'app_uninstalled',
  'member_joined_channel',
  'message.channels',
  'message.groups',
  'message.im',
  'message.mpim',
  'reaction_added',
  'reaction_removed',
  'tokens_revoked',
]

/** The bot scope lines: "      - scope   # why". */
function scopes(yaml: string): { scope: string; why: string }[] {
  const block = yaml.slice(yaml.indexOf('    bot:\n'), yaml.indexOf('\nsettings:'))
  return [...block.matchAll(/^ {6}- ([a-z:._]+)\s*(?:#\s*(.*))?$/gm)].map((m) => ({ scope: m[1]!, why: m[2] ?? '' }))
}

describe.each(['manifest.yaml', 'manifest.socket-mode.yaml'])('%s', (file) => {
  const yaml = read(file)
  it('requests exactly the scopes the adapter asks for at install, each with a reason', () => {
    const s = scopes(yaml)
    expect(s.map((x) => x.scope).sort()).toEqual([...BOT_SCOPES].sort())
    for (const x of s) expect(x.why.length, x.scope).toBeGreaterThan(10)
  })
  it('declares every command, shortcut and event', () => {
    for (const c of ['/kb', '/task', '/kudos', '/beacon']) expect(yaml).toContain(`- command: ${c}\n`)
    expect(yaml.match(/usage_hint:/g)).toHaveLength(4)
    for (const a of MESSAGE_ACTIONS) expect(yaml).toContain(`callback_id: ${a}\n`)
    for (const e of EVENTS) expect(yaml).toMatch(new RegExp(`^ {6}- ${e.replace('.', '\\.')}\\b`, 'm'))
    expect(yaml).toContain('home_tab_enabled: true')
    expect(yaml).toMatch(/interactivity:\n {4}is_enabled: true/)
  })
  it('points at /slack/events over HTTP, or at nothing in Socket Mode', () => {
    const socket = file.includes('socket')
    expect(yaml).toContain(`socket_mode_enabled: ${socket}`)
    const urls = yaml.match(/https:\/\/YOUR-HOST\/slack\/events/g) ?? []
    expect(urls).toHaveLength(socket ? 0 : 6)
  })
})
