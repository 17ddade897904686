/**
 * Bot Framework relays more than Teams: Web Chat, Direct Line, Slack-via-Azure, the Emulator. A
 * token for one of those is a valid Bot Framework token, so without a channel check anyone who can
 * talk to the bot through Direct Line could act in a tenant as "Alice". Beacon takes only `msteams`
 * (and `emulator` when TEAMS_ANONYMOUS=true, for local testing), answers anything else with a clear
 * 4xx and does nothing on its behalf.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { personalMessage } from '../adapters/teams/activities.ts'
import { viaCompose, type Harness } from '../adapters/teams/harness.ts'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const rows = (hh: Harness, table: string) => (hh.ctx.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

describe('activities from Bot Framework channels other than Teams', () => {
  it('are refused with 403 before anything is stored or sent; msteams still works', async () => {
    h = await viaCompose()
    for (const channelId of ['webchat', 'directline', 'slack', 'emulator']) {
      const r = await h.post({ ...personalMessage(h.connector.serviceUrl, 'task buy the domain'), channelId })
      expect(r.status, channelId).toBe(403)
      expect(r.body, channelId).toMatchObject({ ok: false, error: 'unsupported_channel' })
    }
    expect(rows(h, 'processed_events')).toBe(0)
    expect(rows(h, 'tasks')).toBe(0)
    expect(rows(h, 'teams_references')).toBe(0)
    expect(h.connector.calls).toEqual([])

    const ok = await h.post(personalMessage(h.connector.serviceUrl, 'task buy the domain'))
    expect(ok.status).toBe(200)
    expect(rows(h, 'tasks')).toBe(1)
  })

  it('the Emulator is accepted only with TEAMS_ANONYMOUS=true; other channels stay refused there too', async () => {
    h = await viaCompose({ auth: 'anonymous' })
    const web = await h.post({ ...personalMessage(h.connector.serviceUrl, 'task one'), channelId: 'webchat' })
    expect(web.status).toBe(403)
    const emu = await h.post({ ...personalMessage(h.connector.serviceUrl, 'task two'), channelId: 'emulator' })
    expect(emu.status).toBe(200)
    expect(rows(h, 'tasks')).toBe(1)
  })
})
