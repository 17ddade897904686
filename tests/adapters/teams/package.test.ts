import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { fillManifest, packageTeams } from '../../../scripts/package-teams.ts'

const DIR = join(import.meta.dirname, '../../../manifests/teams')
const ENV = { MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555', PUBLIC_URL: 'https://beacon.example.com/', APP_VERSION: '1.2.3' }

/** Reads a zip's local entries back (enough to check what the packager wrote). */
function unzip(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  let at = 0
  while (buf.readUInt32LE(at) === 0x04034b50) {
    const size = buf.readUInt32LE(at + 18)
    const nameLen = buf.readUInt16LE(at + 26)
    const extra = buf.readUInt16LE(at + 28)
    const name = buf.subarray(at + 30, at + 30 + nameLen).toString('utf8')
    const start = at + 30 + nameLen + extra
    out.set(name, inflateRawSync(buf.subarray(start, start + size)))
    at = start + size
  }
  return out
}

interface Manifest {
  manifestVersion: string
  id: string
  version: string
  bots: { botId: string; scopes: string[]; commandLists: { commands: { title: string }[] }[] }[]
  composeExtensions: { commands: unknown[] }[]
  authorization: { permissions: { resourceSpecific: unknown[] } }
  validDomains: string[]
  developer: { privacyUrl: string }
}

const pngSize = (b: Buffer) => ({ w: b.readUInt32BE(16), h: b.readUInt32BE(20) })

describe('Teams app package', () => {
  it('has icons of the sizes Teams requires', () => {
    expect(pngSize(readFileSync(join(DIR, 'color.png')))).toEqual({ w: 192, h: 192 })
    expect(pngSize(readFileSync(join(DIR, 'outline.png')))).toEqual({ w: 32, h: 32 })
  })

  it('fills the manifest: bot scopes, commands, message actions, RSC, valid domains', () => {
    const m = JSON.parse(fillManifest(readFileSync(join(DIR, 'manifest.json'), 'utf8'), ENV)) as Manifest
    expect(m.manifestVersion).toBe('1.19')
    expect(m.id).toBe(ENV.MICROSOFT_APP_ID)
    expect(m.version).toBe('1.2.3')
    expect(m.bots[0]).toMatchObject({ botId: ENV.MICROSOFT_APP_ID, scopes: ['personal', 'team', 'groupChat'] })
    expect(m.bots[0]!.commandLists[0]!.commands.map((c) => c.title)).toEqual(['kb', 'task', 'kudos', 'beacon', 'help'])
    expect(m.composeExtensions[0]!.commands).toEqual([
      expect.objectContaining({ id: 'saveToKnowledge', type: 'action', context: ['message'], fetchTask: true }),
      expect.objectContaining({ id: 'createTask', type: 'action', context: ['message'], fetchTask: true }),
    ])
    expect(m.authorization.permissions.resourceSpecific).toContainEqual({ name: 'ChannelMessage.Read.Group', type: 'Application' })
    expect(m.authorization.permissions.resourceSpecific).toContainEqual({ name: 'ChannelMember.Read.Group', type: 'Application' })
    expect(m.validDomains).toContain('beacon.example.com')
    expect(m.developer.privacyUrl).toBe('https://beacon.example.com/privacy')
  })

  it('refuses to package without an app id or an https URL', () => {
    expect(() => fillManifest('{}', { PUBLIC_URL: 'http://x.example' })).toThrow(/MICROSOFT_APP_ID[\s\S]*https/)
  })

  it('writes a zip with manifest.json and both icons at its root', () => {
    const dir = mkdtempSync(join(tmpdir(), 'beacon-pkg-'))
    try {
      const entries = unzip(readFileSync(packageTeams(ENV, join(dir, 'beacon-teams.zip'))))
      expect([...entries.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png'])
      expect(JSON.parse(entries.get('manifest.json')!.toString('utf8'))).toMatchObject({ id: ENV.MICROSOFT_APP_ID })
      expect(entries.get('color.png')!.equals(readFileSync(join(DIR, 'color.png')))).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
