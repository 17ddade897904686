/**
 * The permission-matrix world: Beacon composed as `npm start` does (Slack over HTTP, SQLite, the
 * in-process queue unless a test passes REDIS_URL), a fake Slack Web API that knows who is an admin
 * (users.info `is_admin`/`is_owner`), who is in which channel (conversations.members) and which
 * channels exist (conversations.info), and a fixed clock with twelve weeks of activity behind it.
 *
 * People:  UADMIN (Slack admin) · UOWNER (Slack owner) · UBEA (in BEACON_ADMINS by email) ·
 *          UMGR (manages "Platform") · UEVE and UEMP (employees; Eve is the curious one).
 * Channels: CGEN #general (public, everyone) · CPLAT #platform (public) · CRND #random (public) ·
 *          CPRIV #private (private: UMGR and UPRIV only) · D… direct messages.
 */
import { expect } from 'vitest'
import { TestClock } from '../support/test-clock.ts'
import type { ActivityEvent } from '../../src/core/adoption/types.ts'
import { SqliteActivityRepository } from '../../src/storage/repositories/adoption-activity.ts'
import { SqliteAdoptionSettingsRepository } from '../../src/storage/repositories/adoption-settings.ts'
import { startHarness, type Harness } from '../adapters/slack/harness.ts'
import { crowd, historyEvents, people } from '../core/adoption/support.ts'
import { SlackDriver, visibleText } from '../e2e/slack-driver.ts'

export const WS = 'slack:T1'
/** Wednesday 10:00 UTC; the twelve complete weeks before it are the history. */
export const NOW = '2025-06-18T10:00:00.000Z'
/** Fixed at NOW unless a test moves it on (`advance`); every world shares it, and `startWorld` resets it. */
export const clock = TestClock.at(NOW)
export const advance = (ms: number) => clock.advance(ms)
export const ENCRYPTION_KEY = 'c'.repeat(64)

export const ADMIN = 'UADMIN'
export const OWNER = 'UOWNER'
export const BEA = 'UBEA'
export const MANAGER = 'UMGR'
export const EVE = 'UEVE'
export const EMPLOYEE = 'UEMP'
/** The only person active in #private. */
export const LONER = 'UPRIV'

export const GENERAL = 'CGEN'
export const PLATFORM = 'CPLAT'
export const RANDOM = 'CRND'
export const PRIVATE = 'CPRIV'

export interface World {
  h: Harness
  slack: SlackDriver
  /** `/beacon …` (or another command) as `who` in `channel`: everything the person was shown. */
  say(who: string, text: string, channel?: string, command?: string): Promise<string>
  /** `/beacon dashboard` as `who`: the link handed out, pointed at this Beacon's port. */
  dashboardLink(who: string): Promise<string>
  teams: SqliteAdoptionSettingsRepository
  activity: SqliteActivityRepository
  close(): Promise<void>
}

export async function startWorld(env: Record<string, string> = {}): Promise<World> {
  clock.set(NOW)
  const h = await startHarness({
    compose: true,
    env: { BEACON_ENCRYPTION_KEY: ENCRYPTION_KEY, BEACON_ADMINS: 'bea@acme.test', ...env },
    composeOptions: { clock },
  })
  const f = h.fake
  const everyone = [ADMIN, OWNER, BEA, MANAGER, EVE, EMPLOYEE, LONER]
  f.users.set(ADMIN, { id: ADMIN, real_name: 'Ada Admin', tz: 'UTC', is_admin: true })
  f.users.set(OWNER, { id: OWNER, real_name: 'Olga Owner', tz: 'UTC', is_owner: true })
  f.users.set(BEA, { id: BEA, real_name: 'Bea Beacon', tz: 'UTC', profile: { email: 'Bea@acme.test' } })
  f.users.set(MANAGER, { id: MANAGER, real_name: 'Max Manager', tz: 'UTC' })
  f.users.set(EVE, { id: EVE, real_name: 'Eve Curious', tz: 'UTC' })
  f.users.set(EMPLOYEE, { id: EMPLOYEE, real_name: 'Emil Employee', tz: 'UTC' })
  f.users.set(LONER, { id: LONER, real_name: 'Pia Private', tz: 'UTC' })
  f.channels.set(GENERAL, { id: GENERAL, name: 'general' })
  f.channels.set(PLATFORM, { id: PLATFORM, name: 'platform' })
  f.channels.set(RANDOM, { id: RANDOM, name: 'random' })
  f.channels.set(PRIVATE, { id: PRIVATE, name: 'private', is_private: true })
  f.members.set(GENERAL, everyone)
  f.members.set(PLATFORM, everyone)
  f.members.set(RANDOM, everyone)
  f.members.set(PRIVATE, [MANAGER, LONER])
  const slack = new SlackDriver(h.eventsUrl, f)
  const db = h.ctx.db
  return {
    h,
    slack,
    teams: new SqliteAdoptionSettingsRepository(db),
    activity: new SqliteActivityRepository(db),
    say: async (who, text, channel = GENERAL, command = '/beacon') => visibleText(await slack.command(text, who, channel, command)),
    dashboardLink: async (who) => {
      const reply = visibleText(await slack.command('dashboard', who, GENERAL, '/beacon'))
      const link = /https?:\/\/[^\s)>|]+\/dashboard\?token=[^\s)>|]+/.exec(reply)
      expect(link, `a dashboard link for ${who}`).toBeTruthy()
      const u = new URL(link![0])
      return `${h.url}${u.pathname}${u.search}`
    },
    close: () => h.close(),
  }
}

/** `n` people active every week in `channel` (3 contributions each), ids `<prefix>1…`. */
export function weeklyCrowd(channel: string, prefix: string, n: number, each = 3): ActivityEvent[] {
  return historyEvents(
    Array.from({ length: 12 }, () => crowd(people(prefix, n), each)),
    { channel, now: NOW },
  ).map((e) => ({ ...e, workspace: WS }))
}

/** "Platform" on #platform, managed by UMGR, eight people active every week. */
export async function seedPlatform(w: World): Promise<void> {
  await w.teams.syncTeam(WS, 'Platform', [PLATFORM], [MANAGER], new Date(NOW))
  await w.activity.recordMany(weeklyCrowd(PLATFORM, 'plat', 8))
}

/** The figures a stats reply shows for one team's last week, if it shows any. */
export function shownFigures(reply: string, team: string): { active: number; contributions: number } | undefined {
  const block = reply.split(/\n(?=\*\*?[^*\n]+\*\*? — )/).find((b) => new RegExp(`^\\*\\*?${team}\\*\\*? — week`).test(b.trim()))
  if (!block) return undefined
  const active = /Active people: \*\*?(\d+)\*\*?/.exec(block)
  const contributions = /Contributions: (\d+)/.exec(block)
  expect(active, `active people of ${team}`).toBeTruthy()
  return { active: Number(active![1]), contributions: Number(contributions![1]) }
}
