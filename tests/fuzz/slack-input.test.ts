/**
 * Hostile input on POST /slack/events, through composeBeacon with signed requests:
 * - slash-command text for /kb /task /kudos /beacon: always a 200 and an answer, never "went wrong";
 * - arbitrary and mutated Events API and interactive payloads (signed): 2xx or 4xx, never 5xx, and
 *   each refused request stores nothing;
 * - replayed (stale timestamp) and tampered signatures: 401 and nothing stored.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { post, signed, signedForm, signedInteraction, signedJson, slackSignature } from '../support/slack-signing.ts'
import { envelope, SIGNING_SECRET, startHarness, type Harness } from '../adapters/slack/harness.ts'
import { jobsIdle } from '../e2e/knowledge-support.ts'
import { hostileText, mutated, params, rowCounts } from './support.ts'
import { waitFor } from '../support/wait.ts'

describe('hostile Slack input', () => {
  const fake = new FakeSlackApi()
  let h: Harness
  let n = 0

  beforeAll(async () => {
    await fake.start()
    fake.users.set('U1', { id: 'U1', name: 'ada', real_name: 'Ada', tz: 'UTC' })
    fake.users.set('U2', { id: 'U2', name: 'grace', real_name: 'Grace', tz: 'UTC' })
    fake.channels.set('C1', { id: 'C1', name: 'general' })
    h = await startHarness({ compose: true, fake })
  })
  afterAll(async () => {
    await h?.close()
  })

  /**
   * Waits until Beacon has finished with what it acked: no job due, and neither the database nor the
   * fake Slack changed for a moment.
   */
  async function quiet(): Promise<void> {
    await jobsIdle(h.ctx.db)
    let last = ''
    await waitFor(async () => {
      await new Promise((r) => setTimeout(r, 150))
      const now = JSON.stringify([fake.calls.length, fake.responses.length, rowCounts(h.ctx.db)])
      const same = now === last
      last = now
      return same
    }, 'Beacon to go quiet')
  }

  it('slash commands with any text: 200, an answer, never an internal error', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/kb', '/task', '/kudos', '/beacon'), hostileText, async (command, text) => {
        const id = `fz-${++n}`
        const res = await post(
          h.eventsUrl,
          signedForm(SIGNING_SECRET, {
            token: 't',
            team_id: 'T1',
            team_domain: 'acme',
            channel_id: 'C1',
            channel_name: 'general',
            user_id: 'U1',
            user_name: 'ada',
            command,
            text,
            api_app_id: 'A1',
            is_enterprise_install: 'false',
            response_url: fake.responseUrl(id),
            trigger_id: `trig.${id}`,
          }),
        )
        expect(res.status).toBe(200)
        const answer = await waitFor(() => fake.responses.find((r) => r.id === id), `an answer to ${command}`, 10_000)
        const shown = `${String(answer.body.text ?? '')} ${JSON.stringify(answer.body.blocks ?? '')}`
        expect(shown.trim().length).toBeGreaterThan(0)
        expect(shown).not.toMatch(/something went wrong/i)
      }),
      params(120),
    )
  })

  const validEvents = [
    { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'hello', ts: '1700000000.000100' },
    { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'reply', ts: '1700000000.000200', thread_ts: '1700000000.000100' },
    {
      type: 'message',
      subtype: 'message_changed',
      channel: 'C1',
      message: { user: 'U1', text: 'x', ts: '1' },
      previous_message: { user: 'U1', text: 'y', ts: '1' },
    },
    {
      type: 'reaction_added',
      user: 'U1',
      reaction: 'bookmark',
      item_user: 'U1',
      item: { type: 'message', channel: 'C1', ts: '1700000000.000100' },
      event_ts: '1',
    },
    { type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home', event_ts: '1' },
    { type: 'member_joined_channel', user: 'U2', channel: 'C1' },
  ]

  const eventBodies = fc.oneof(
    mutated(fc.constantFrom(...validEvents).map((e) => envelope(e))),
    fc.dictionary(fc.string(), fc.jsonValue()).map((e) => envelope(e)),
  )

  /**
   * Sends a batch at once (a body no listener recognises waits out Bolt's 3 s before its 404, so
   * one at a time would take minutes); none may get a 5xx. Then every refused request is checked on
   * its own terms: once what the accepted ones did has settled, the refused ones are sent again
   * (freshly signed), refused again, and the database must not change at all. Row counts only grow,
   * so an unchanged total means each refused request stored nothing.
   */
  async function refusedStoresNothing(requests: (() => Promise<{ status: number }>)[]): Promise<void> {
    const statuses = await Promise.all(requests.map(async (send) => (await send()).status))
    expect(statuses.filter((s) => s >= 500)).toEqual([])
    const refused = requests.filter((_, i) => statuses[i]! >= 400)
    if (refused.length === 0) return
    await quiet()
    const before = rowCounts(h.ctx.db)
    const again = await Promise.all(refused.map(async (send) => (await send()).status))
    expect(again.filter((s) => s < 400)).toEqual([])
    await quiet()
    expect(rowCounts(h.ctx.db)).toEqual(before)
  }

  it('arbitrary and mutated Events API payloads: never 5xx; each refused one stores nothing', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(eventBodies, fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain')), {
          minLength: 10,
          maxLength: 10,
        }),
        async (batch) => {
          await refusedStoresNothing(
            batch.map(
              ([body, contentType]) =>
                () =>
                  post(h.eventsUrl, signed(SIGNING_SECRET, JSON.stringify(body), contentType)),
            ),
          )
        },
      ),
      params(8),
    )
    // Any JSON at all, and bytes that are not JSON.
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.jsonValue().map((v) => JSON.stringify(v)),
            fc.string({ unit: 'binary', maxLength: 300 }),
          ),
          { minLength: 10, maxLength: 10 },
        ),
        async (raws) => {
          await refusedStoresNothing(raws.map((raw) => () => post(h.eventsUrl, signed(SIGNING_SECRET, raw, 'application/json'))))
        },
      ),
      params(5),
    )
    await quiet()
  })

  const interactive = [
    {
      type: 'block_actions',
      user: { id: 'U1', username: 'ada', team_id: 'T1' },
      team: { id: 'T1', domain: 'acme' },
      trigger_id: 't1',
      container: { type: 'message', message_ts: '1', channel_id: 'C1' },
      channel: { id: 'C1', name: 'general' },
      actions: [{ action_id: 'task:done', block_id: 'b', value: '1', type: 'button', action_ts: '1' }],
    },
    {
      type: 'message_action',
      callback_id: 'save_to_knowledge',
      trigger_id: 't2',
      team: { id: 'T1', domain: 'acme' },
      user: { id: 'U1', username: 'ada', team_id: 'T1' },
      channel: { id: 'C1', name: 'general' },
      message: { type: 'message', ts: '1700000000.000100', user: 'U1', text: 'x' },
      message_ts: '1700000000.000100',
      response_url: 'http://127.0.0.1:1/x',
    },
    {
      type: 'view_submission',
      team: { id: 'T1', domain: 'acme' },
      user: { id: 'U1', username: 'ada', team_id: 'T1' },
      view: {
        id: 'V1',
        type: 'modal',
        callback_id: 'task:create',
        private_metadata: '{}',
        state: { values: { title: { title: { type: 'plain_text_input', value: 'x' } } } },
      },
    },
  ]

  it('arbitrary and mutated interactive payloads: never 5xx; each refused one stores nothing', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 4, arbitrary: mutated(fc.constantFrom(...interactive)) }, { weight: 1, arbitrary: fc.jsonValue() }), {
          minLength: 10,
          maxLength: 10,
        }),
        async (payloads) => {
          await refusedStoresNothing(payloads.map((payload) => () => post(h.eventsUrl, signedInteraction(SIGNING_SECRET, payload))))
        },
      ),
      params(8),
    )
    await quiet()
  })

  it('replayed (stale timestamp) and tampered signatures: 401, nothing stored', { timeout: 60_000 }, async () => {
    const attack = fc.record({
      body: fc.oneof(
        fc.constantFrom(...validEvents).map((e) => JSON.stringify(envelope(e))),
        fc.string({ maxLength: 200 }),
      ),
      // Older than Slack's 5-minute window, up to a year.
      staleBy: fc.integer({ min: 301, max: 365 * 86_400 }),
      flip: fc.nat(),
      kind: fc.constantFrom('stale', 'body', 'signature', 'secret', 'missing'),
    })
    await fc.assert(
      fc.asyncProperty(attack, async ({ body, staleBy, flip, kind }) => {
        const now = Math.floor(Date.now() / 1000)
        const req = signedJson(SIGNING_SECRET, JSON.parse('null'), {})
        req.body = body
        req.headers['x-slack-request-timestamp'] = String(now)
        req.headers['x-slack-signature'] = slackSignature(SIGNING_SECRET, now, body)
        if (kind === 'stale') {
          req.headers['x-slack-request-timestamp'] = String(now - staleBy)
          req.headers['x-slack-signature'] = slackSignature(SIGNING_SECRET, now - staleBy, body) // a real signature, replayed late
        } else if (kind === 'body') {
          const i = flip % Math.max(1, body.length)
          req.body = body.length ? body.slice(0, i) + String.fromCharCode(body.charCodeAt(i) ^ 1) + body.slice(i + 1) : 'x'
        } else if (kind === 'signature') {
          const sig = req.headers['x-slack-signature']!
          const i = 3 + (flip % (sig.length - 3))
          req.headers['x-slack-signature'] = sig.slice(0, i) + (sig[i] === '0' ? '1' : '0') + sig.slice(i + 1)
        } else if (kind === 'secret') {
          req.headers['x-slack-signature'] = slackSignature('not-the-secret', now, body)
        } else {
          delete req.headers['x-slack-signature']
        }
        const before = rowCounts(h.ctx.db)
        const res = await post(h.eventsUrl, req)
        expect(res.status).toBe(401)
        expect(rowCounts(h.ctx.db)).toEqual(before)
      }),
      params(150),
    )
  })
})
