/**
 * Business impact on Microsoft Teams, end to end: composeBeacon + listen(0) on a real SQLite file,
 * Bot Framework activities to POST /api/messages signed by the local issuer, replies and proactive
 * posts read from the fake Bot Connector, the in-process job queue, a fixed clock. `beacon impact`
 * in a personal chat answers a manager with their team, an admin (BEACON_ADMINS) with the
 * organisation too, everyone else with a refusal; an admin adds a sponsor, and the monthly job run
 * twice sends one digest to the sponsor's personal chat, whose link opens the organisation page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { markdownToPlain } from '../../src/core/outbound.ts'
import { ALICE, BOB, CHANNEL, TEAM, TENANT, personalConversation, personalMessage } from '../adapters/teams/activities.ts'
import { viaCompose, type Harness } from '../adapters/teams/harness.ts'
import type { ConnectorCall } from '../support/fake-bot-connector.ts'
import { jobsIdle } from '../support/jobs.ts'
import { waitFor } from '../support/wait.ts'
import { clock, seedSilentTeam } from './adoption-support.ts'

const WS = `teams:${TENANT}`
/** Alice manages Platform; Bob administers Beacon; Dana is an executive, neither. */
const DANA = { id: '29:dana-bf-id', name: 'Dana Exec', aadObjectId: 'aad-dana' }
type Who = typeof ALICE

/** What the message reads as, plain: a chat message's text, or a card's fallback text. */
function textOf(c: ConnectorCall): string {
  const b = (c.body ?? {}) as { text?: string; attachments?: { content?: { fallbackText?: string } }[] }
  return markdownToPlain(b.text ?? b.attachments?.[0]?.content?.fallbackText ?? '')
}

describe('impact on Teams, end to end', () => {
  let h: Harness
  const chatOf = (from: Who) => `a:1personal-${from.aadObjectId}`
  const inChat = (from: Who, since: number) =>
    h.connector
      .messages()
      .slice(since)
      .filter((c) => c.conversationId === chatOf(from))

  async function ask(from: Who, text: string): Promise<string> {
    const before = h.connector.messages().length
    const activity = personalMessage(h.connector.serviceUrl, text)
    const res = await h.post({ ...activity, from, conversation: { ...personalConversation, id: chatOf(from), tenantId: TENANT } })
    expect(res.status).toBe(200)
    return textOf(await waitFor(() => inChat(from, before)[0], `the reply to "${text}"`))
  }

  beforeAll(async () => {
    h = await viaCompose({ env: { BEACON_ADMINS: BOB.aadObjectId, PUBLIC_URL: 'https://beacon.example' }, clock })
    h.connector.members.set(TEAM.id, [ALICE, BOB, DANA])
    h.connector.members.set(CHANNEL.id, [ALICE, BOB, DANA])
    await seedSilentTeam(h.ctx.db, WS, CHANNEL.id, ALICE.aadObjectId)
    // Each has talked to Beacon once: "@Name" resolves, and a DM can be opened to them later.
    for (const p of [ALICE, BOB, DANA]) await ask(p, 'help')
  })
  afterAll(async () => h?.close())

  it('`beacon impact`: the manager sees their team with its stage and next step, never a person', async () => {
    const text = await ask(ALICE, 'beacon impact')
    expect(text).toMatch(/Platform — impact 2025-W21 – 2025-W24/)
    expect(text).toMatch(/Stage: experimental/)
    expect(text).toMatch(/To move up: set a weekly objective/)
    expect(text).not.toMatch(/Organisation|Name of|\bp\d+\b/)
  })

  it('`beacon impact`: an admin sees the organisation too; anyone else a refusal', async () => {
    expect(await ask(BOB, 'beacon impact')).toMatch(/Organisation — impact[\s\S]*Stage: experimental/)
    const dana = await ask(DANA, 'beacon impact')
    expect(dana).toMatch(/for team managers and workspace admins/)
    expect(dana).not.toMatch(/Platform|Organisation/)
  })

  it('sponsors: only admins add them; the monthly job run twice sends one digest to the sponsor’s chat, and its link works', async () => {
    expect(await ask(ALICE, 'beacon sponsor add @Dana Exec')).toMatch(/Only a workspace admin/)
    expect(await h.ctx.repos.sponsors.list(WS)).toEqual([])
    expect(await ask(BOB, 'beacon sponsor add @Dana Exec')).toMatch(/Dana Exec is now a sponsor/)

    const before = h.connector.messages().length
    await h.ctx.queue.runNow('impact.monthly')
    await h.ctx.queue.runNow('impact.monthly')
    const digest = await waitFor(() => inChat(DANA, before)[0], 'the digest in Dana’s chat', 10_000)
    await jobsIdle(h.ctx.db)
    expect(inChat(DANA, before)).toHaveLength(1)
    expect(digest.kind).toBe('send') // proactive, not a reply
    const text = textOf(digest)
    expect(text).toMatch(/Beacon impact, 2025-05/)
    expect(text).toMatch(/Three numbers that moved/)
    expect(text).toMatch(/Stage: experimental/)
    expect(text).toMatch(/One recommendation:/)
    expect(text).not.toMatch(/Platform|Name of|\bp\d+\b/)

    // The card's button opens the organisation page, for Dana, who is neither admin nor manager.
    const link = new URL(/https:\/\/beacon\.example\/dashboard\/organisation\?token=[^"\\]+/.exec(JSON.stringify(digest.body))![0])
    const page = await fetch(`${h.url}${link.pathname}${link.search}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toMatch(/data-impact-team="Organisation"/)
    expect(html).not.toMatch(/Platform/)
  })
})
