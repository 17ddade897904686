/**
 * `npm run package:teams`: fills the placeholders of manifests/teams/manifest.json from the
 * environment and writes manifests/teams/beacon-teams.zip (manifest.json, color.png, outline.png
 * at the root), ready to upload in Teams (Apps → Manage your apps → Upload an app).
 *
 *   MICROSOFT_APP_ID   the bot's Azure app id (also used as the Teams app id)   required
 *   PUBLIC_URL         https URL Beacon is reachable at (developer links, validDomains)   required
 *   APP_VERSION        manifest version, default: package.json version
 *
 * The zip writer is a few dozen lines over zlib (deflate + crc32) rather than a dependency.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { crc32, deflateRawSync } from 'node:zlib'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const DIR = join(ROOT, 'manifests/teams')

export interface ZipEntry {
  name: string
  data: Buffer
}

/** A standard zip (deflate, no zip64): local headers, data, central directory, end record. */
export function zip(entries: ZipEntry[], date = new Date(2025, 0, 1)): Buffer {
  const dosTime = (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2)
  const dosDate = ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate()
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8')
    const packed = deflateRawSync(e.data)
    const crc = crc32(e.data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4) // version needed
    local.writeUInt16LE(0x0800, 6) // UTF-8 names
    local.writeUInt16LE(8, 8) // deflate
    local.writeUInt16LE(dosTime, 10)
    local.writeUInt16LE(dosDate, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(packed.length, 18)
    local.writeUInt32LE(e.data.length, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4) // made by
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(8, 10)
    central.writeUInt16LE(dosTime, 12)
    central.writeUInt16LE(dosDate, 14)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(packed.length, 20)
    central.writeUInt32LE(e.data.length, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, packed)
    centrals.push(central, name)
    offset += local.length + name.length + packed.length
  }
  const dir = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(dir.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, dir, end])
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The manifest with every {{PLACEHOLDER}} filled; throws naming each missing or bad value. */
export function fillManifest(template: string, env: Record<string, string | undefined>): string {
  const problems: string[] = []
  const appId = env.MICROSOFT_APP_ID?.trim() ?? ''
  if (!GUID.test(appId)) problems.push('MICROSOFT_APP_ID: required, the bot’s Azure app id (a GUID)')
  let publicUrl: URL | undefined
  try {
    publicUrl = new URL(env.PUBLIC_URL ?? '')
    if (publicUrl.protocol !== 'https:') problems.push('PUBLIC_URL: Teams needs an https URL')
  } catch {
    problems.push('PUBLIC_URL: required, the https URL Beacon is reachable at')
  }
  const version = env.APP_VERSION ?? (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
  if (!/^\d+\.\d+\.\d+$/.test(version)) problems.push('APP_VERSION: must look like 1.2.3')
  if (problems.length) throw new Error(`cannot package the Teams app:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  const values: Record<string, string> = {
    MICROSOFT_APP_ID: appId,
    PUBLIC_URL: publicUrl!.origin + publicUrl!.pathname.replace(/\/+$/, ''),
    PUBLIC_HOST: publicUrl!.host,
    APP_VERSION: version,
  }
  const filled = template.replace(/\{\{([A-Z_]+)\}\}/g, (m, key: string) => values[key] ?? m)
  const left = filled.match(/\{\{[A-Z_]+\}\}/g)
  if (left) throw new Error(`unknown placeholders in manifest.json: ${[...new Set(left)].join(', ')}`)
  JSON.parse(filled) // fail here, not in Teams, if the result is not JSON
  return filled
}

export function packageTeams(env: Record<string, string | undefined> = process.env, out = join(DIR, 'beacon-teams.zip')): string {
  const manifest = fillManifest(readFileSync(join(DIR, 'manifest.json'), 'utf8'), env)
  const entries: ZipEntry[] = [
    { name: 'manifest.json', data: Buffer.from(manifest, 'utf8') },
    { name: 'color.png', data: readFileSync(join(DIR, 'color.png')) },
    { name: 'outline.png', data: readFileSync(join(DIR, 'outline.png')) },
  ]
  writeFileSync(out, zip(entries))
  return out
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const out = packageTeams()
    console.log(`wrote ${out}`)
  } catch (err) {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  }
}
