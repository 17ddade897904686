/**
 * A Teams tenant removing Beacon, through /api/messages with Bot Framework tokens. Teams only says
 * "removed from this team" (installationUpdate remove, or conversationUpdate with the bot in
 * membersRemoved). Removed from one of two teams: that team's references go, the tenant's data
 * stays. Removed from the last team: everything of the tenant goes (every workspace table, the
 * knowledge search index, jobs, stored deliveries, personal chat references), and another tenant
 * on the same Beacon is untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kudosDmJob } from '../../src/core/recognition/job-defs.ts'
import { ALICE, BOT, installationUpdate, personalMessage, TENANT } from '../adapters/teams/activities.ts'
import { viaCompose, type Harness } from '../adapters/teams/harness.ts'
import { ftsHits, rowsMarked, seedEveryTable } from '../support/workspace-footprint.ts'
import { waitFor } from '../support/wait.ts'

const GONE = `teams:${TENANT}`
const OTHER_TENANT = '0d1e2f3a-0000-0000-0000-00000000000b'
const STAYS = `teams:${OTHER_TENANT}`
const SECOND = { id: '19:second-general@thread.tacv2', name: 'Second', aadGroupId: 'group-second' }

/** What Teams sends in a team's General channel (the team's id is that channel's id). */
function inTeam(serviceUrl: string, team: typeof SECOND, tenantId: string, extra: Record<string, unknown>) {
  return {
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: ALICE,
    recipient: BOT,
    conversation: { id: team.id, conversationType: 'channel', isGroup: true, tenantId },
    channelData: { tenant: { id: tenantId }, team, channel: { id: team.id, name: 'General' }, ...((extra.channelData as object | undefined) ?? {}) },
    id: `act-${Math.random().toString(36).slice(2)}`,
    ...extra,
  }
}

describe('a Teams tenant removing Beacon from its last team', () => {
  let h: Harness
  beforeAll(async () => {
    h = await viaCompose()
  })
  afterAll(async () => h?.close())

  const refs = (ws: string) =>
    h.ctx.db.$client
      .prepare('SELECT kind, conversation_id AS id FROM teams_references WHERE workspace_id = ? AND kind IN (?, ?, ?) ORDER BY id')
      .all(ws, 'channel', 'groupChat', 'personal')

  it('one team of two: only its references go; the last team: the whole tenant goes, the other tenant stays', { timeout: 60_000 }, async () => {
    const db = h.ctx.db
    const url = h.connector.serviceUrl
    // Tenant A: Beacon in two teams and in Alice's personal chat; tenant B: in one team.
    expect((await h.post(installationUpdate(url, 'add', 'channel'))).status).toBe(200)
    expect((await h.post(inTeam(url, SECOND, TENANT, { type: 'installationUpdate', action: 'add' }))).status).toBe(200)
    expect((await h.post(personalMessage(url, 'help'))).status).toBe(200)
    expect((await h.post(inTeam(url, SECOND, OTHER_TENANT, { type: 'installationUpdate', action: 'add' }))).status).toBe(200)
    await waitFor(() => refs(GONE).length === 3 && refs(STAYS).length === 1, 'the references of both tenants')

    seedEveryTable(db, GONE, 'teams', 101)
    seedEveryTable(db, STAYS, 'teams', 201)
    for (const ws of [GONE, STAYS]) {
      await h.ctx.queue.enqueue(
        kudosDmJob,
        { workspace: ws, personId: ALICE.aadObjectId, text: `${ws} later` },
        { delayMs: 3_600_000, dedupeKey: `${ws}-later` },
      )
    }
    for (const tenantId of [TENANT, OTHER_TENANT]) {
      db.$client.prepare("INSERT INTO inbox (source, key, body, state, received_at) VALUES ('teams', ?, ?, 'parked', 0)").run(
        `parked-${tenantId}`,
        JSON.stringify({
          ...personalMessage(url, `teams:${tenantId} parked`),
          conversation: { id: 'a:1', conversationType: 'personal', tenantId },
          channelData: { tenant: { id: tenantId } },
        }),
      )
    }
    const stays = rowsMarked(db, STAYS)
    const beforeRemoval = rowsMarked(db, GONE)
    expect(ftsHits(db, GONE)).toBe(1)

    // Removed from the second team (the app uninstalled there): that team's reference only.
    expect((await h.post(inTeam(url, SECOND, TENANT, { type: 'installationUpdate', action: 'remove' }))).status).toBe(200)
    await waitFor(() => refs(GONE).length === 2, 'the second team forgotten')
    expect(refs(GONE)).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'channel' }), expect.objectContaining({ kind: 'personal' })]))
    expect(rowsMarked(db, GONE).filter((r) => !r.startsWith('teams_references:'))).toEqual(
      beforeRemoval.filter((r) => !r.startsWith('teams_references:')),
    )
    expect(ftsHits(db, GONE)).toBe(1)

    // Removed from the last team (the bot leaves its roster): the tenant is gone.
    const leave = installationUpdate(url, 'remove', 'channel')
    const { action: _action, ...rest } = leave
    expect((await h.post({ ...rest, type: 'conversationUpdate', membersRemoved: [BOT] })).status).toBe(200)
    await waitFor(() => rowsMarked(db, GONE).length === 0, 'the tenant’s data removed')
    expect(ftsHits(db, GONE)).toBe(0)
    // The removal's own delivery keeps its body until it is marked done, a commit after its work.
    const storedBodies = () => (db.$client.prepare('SELECT count(*) AS n FROM inbox WHERE instr(body, ?) > 0').get(TENANT) as { n: number }).n
    await waitFor(() => storedBodies() === 0, 'no stored delivery of the tenant left')
    expect(db.$client.prepare('SELECT count(*) AS n FROM jobs WHERE instr(data, ?) > 0').get(GONE)).toEqual({ n: 0 })
    expect(refs(GONE)).toEqual([])

    expect(rowsMarked(db, STAYS)).toEqual(stays)
    expect(ftsHits(db, STAYS)).toBe(1)
    expect(refs(STAYS)).toHaveLength(1)
  })
})
