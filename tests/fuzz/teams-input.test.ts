/**
 * Hostile Teams input on POST /api/messages (composeBeacon, JWT-signed by the fake Bot Framework
 * issuer): arbitrary and mutated activities — messages, commands with any text, invokes — never get a
 * 5xx (except botbuilder's 501 for an invoke nobody implements), and an unsigned or wrongly signed
 * one is refused (401) with nothing stored.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { viaCompose, type Harness } from '../adapters/teams/harness.ts'
import { channelMessage, invoke, messagePayload, personalMessage } from '../adapters/teams/activities.ts'
import { hostileText, mutated, params, rowCounts } from './support.ts'

describe('hostile Teams input', () => {
  let h: Harness
  beforeAll(async () => {
    h = await viaCompose()
  })
  afterAll(async () => {
    await h?.close()
  })

  it('commands with any text in a personal chat and after an @mention: never 5xx', { timeout: 90_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('kb', 'task', 'kudos', 'beacon', 'help', ''), hostileText, fc.boolean(), async (word, text, inChannel) => {
        const body = `${word} ${text}`
        const activity = inChannel ? channelMessage(h.connector.serviceUrl, body, { mention: true }) : personalMessage(h.connector.serviceUrl, body)
        const res = await h.post(activity)
        expect(res.status).toBeLessThan(500)
      }),
      params(60),
    )
  })

  /** A valid activity with one value somewhere replaced by arbitrary JSON, or a key removed. */
  const activities = mutated(
    fc
      .constantFrom(
        () => personalMessage(h.connector.serviceUrl, 'kb deploy'),
        () => channelMessage(h.connector.serviceUrl, 'task write the notes', { mention: true }),
        () =>
          invoke(h.connector.serviceUrl, 'composeExtension/submitAction', {
            commandId: 'saveToKnowledge',
            messagePayload: messagePayload('1712000000001', '<p>hello</p>'),
          }),
        () =>
          invoke(h.connector.serviceUrl, 'composeExtension/fetchTask', {
            commandId: 'createTask',
            messagePayload: messagePayload('1712000000002', '<p>todo</p>'),
          }),
        () =>
          invoke(
            h.connector.serviceUrl,
            'adaptiveCard/action',
            { action: { type: 'Action.Execute', verb: 'task:done', data: { id: 1 } } },
            'personal',
          ),
      )
      .map((make) => make() as Record<string, unknown>),
  )

  it('arbitrary and mutated activities (signed): never 5xx', { timeout: 90_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: activities }, { weight: 1, arbitrary: fc.jsonValue() }), async (activity) => {
        const res = await h.post(activity)
        // 501 is the Bot Framework's own answer to an invoke name no handler implements (botbuilder's
        // TeamsActivityHandler); every other failure must be the request's fault (4xx), never a crash.
        const kind = (activity as { type?: unknown } | null)?.type
        if (res.status === 501) expect(kind).toBe('invoke')
        else expect(res.status, JSON.stringify(res.body)).toBeLessThan(500)
      }),
      params(80),
    )
  })

  it('unsigned, wrongly signed or foreign-audience activities: 401, nothing stored', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('none', 'garbage', 'audience'), fc.string({ maxLength: 40 }), async (kind, junk) => {
        const token =
          kind === 'none'
            ? null
            : kind === 'garbage'
              ? `x${junk}.y.z`
              : h.issuer.token({ audience: 'some-other-bot', serviceUrl: h.connector.serviceUrl })
        const before = rowCounts(h.ctx.db)
        const res = await h.post(personalMessage(h.connector.serviceUrl, 'task file the report'), { token })
        expect(res.status).toBe(401)
        expect(rowCounts(h.ctx.db)).toEqual(before)
      }),
      params(30),
    )
  })
})
