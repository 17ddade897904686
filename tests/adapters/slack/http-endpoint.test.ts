/**
 * End to end through the real POST /slack/events: signed bytes in, Bolt's verification and acks,
 * the core dispatcher, and Web API / response_url calls out to the fake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Capability } from '../../../src/core/capability.ts'
import { post, signed, signedForm, signedInteraction, signedJson } from '../../support/slack-signing.ts'
import { envelope, SIGNING_SECRET, startHarness, type Harness } from './harness.ts'
import { waitFor } from '../../support/wait.ts'

const seenMessages: string[] = []

const testCapability: Capability = {
  name: 'test',
  prefix: 'test',
  commands: {
    kb: {
      summary: 'searches',
      help: [],
      run: async (e, turn) => {
        await turn.reply({ text: `hello ${e.text}`, visibleTo: e.person.id })
      },
    },
    task: {
      summary: 'tasks',
      help: [],
      run: async (e, turn) => {
        await turn.openForm?.({
          formId: 'test:task',
          title: 'New task',
          submitLabel: 'Create',
          fields: [{ id: 'title', label: 'Title', kind: 'text', required: true }],
        })
        await turn.reply({ text: 'opened', visibleTo: e.person.id })
      },
    },
  },
  messageActions: {
    save_to_knowledge: async (e, turn) => {
      await turn.openForm?.({
        formId: 'test:save',
        title: 'Save to knowledge',
        submitLabel: 'Save',
        context: JSON.stringify({ ts: e.message.id }),
        fields: [{ id: 'title', label: 'Title', kind: 'text', initial: e.message.text, required: true }],
      })
    },
  },
  onForm: async (e, turn) => {
    if ((e.values.title ?? '').length < 3) await turn.rejectForm?.({ title: 'A title needs at least 3 characters.' })
  },
  onButton: async (_e, turn) => {
    await turn.replaceSource?.({ text: 'Done ✅' })
  },
  on: {
    'message.posted': async (e, turn) => {
      seenMessages.push(e.message.text)
      if (e.message.text.includes('please answer')) await turn.reply({ text: 'answered' })
    },
  },
}

let h: Harness

beforeAll(async () => {
  h = await startHarness({ capabilities: [testCapability] })
  h.fake.users.set('U1', { id: 'U1', name: 'ada', tz: 'Europe/London', profile: { display_name: 'Ada' } })
})
afterAll(async () => {
  await h.close()
})

const message = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'message',
  channel: 'C1',
  channel_type: 'channel',
  user: 'U1',
  text,
  ts: `${Date.now() / 1000}`,
  ...extra,
})

describe('POST /slack/events', () => {
  it('answers url_verification with the challenge', async () => {
    const r = await post(h.eventsUrl, signedJson(SIGNING_SECRET, { type: 'url_verification', token: 't', challenge: 'c-123' }))
    expect(r.status).toBe(200)
    expect(JSON.parse(r.text)).toEqual({ challenge: 'c-123' })
  })

  it('refuses missing, wrong and stale signatures with 401 and processes nothing', async () => {
    const before = h.dispatcher!.seen.length
    const good = signedJson(SIGNING_SECRET, envelope(message('sneaky')))
    const missing = { body: good.body, headers: { 'content-type': 'application/json' } }
    const wrong = signedJson('not-the-secret', envelope(message('sneaky')))
    const stale = signedJson(SIGNING_SECRET, envelope(message('sneaky')), { timestamp: Math.floor(Date.now() / 1000) - 301 })
    const tampered = { ...good, body: good.body.replace('sneaky', 'sneakY') }
    for (const req of [missing, wrong, stale, tampered]) {
      const r = await post(h.eventsUrl, req)
      expect(r.status).toBe(401)
      expect(r.text).toBe('') // refused before anything reaches the dispatcher
    }
    expect(h.dispatcher!.seen.filter((s) => s.event.type === 'message.posted' && /sneak/i.test(s.event.message.text))).toEqual([])
    expect(h.dispatcher!.seen.length).toBe(before)
    expect(seenMessages).not.toContain('sneaky')
  })

  it('processes a retried event (X-Slack-Retry-Num, same event_id) once', async () => {
    const body = envelope(message('retry me'))
    const first = await post(h.eventsUrl, signedJson(SIGNING_SECRET, body))
    const retry = await post(
      h.eventsUrl,
      signedJson(SIGNING_SECRET, body, { extraHeaders: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }),
    )
    expect([first.status, retry.status]).toEqual([200, 200])
    // The retry is recognised in the inbox before its ack (same event_id): it never reaches the core.
    await waitFor(() => h.dispatcher!.seen.some((s) => s.event.eventId === body.event_id))
    expect(h.dispatcher!.seen.filter((s) => s.event.eventId === body.event_id).map((s) => s.result)).toEqual(['handled'])
    expect(seenMessages.filter((t) => t === 'retry me')).toHaveLength(1)
  })

  it('answers /beacon help through response_url in a signed round trip', async () => {
    const r = await post(
      h.eventsUrl,
      signedForm(SIGNING_SECRET, {
        token: 't',
        team_id: 'T1',
        team_domain: 'acme',
        channel_id: 'C1',
        channel_name: 'general',
        user_id: 'U1',
        user_name: 'ada',
        command: '/beacon',
        text: 'help',
        api_app_id: 'A1',
        response_url: h.fake.responseUrl('help-1'),
        trigger_id: 'trig.help.1',
      }),
    )
    expect(r.status).toBe(200)
    const answer = await waitFor(() => h.fake.responses.find((x) => x.id === 'help-1'))
    expect(answer.body.response_type).toBe('ephemeral')
    expect(String(answer.body.text)).toContain('/kb')
    expect(String(answer.body.text)).toContain('*Beacon*')
    expect(JSON.stringify(answer.body.blocks)).toContain('Beacon help')
  })

  it('acks a slash command within 3 s while the Web API is slow, then answers', async () => {
    h.fake.delay('views.open', 3500)
    const r = await post(
      h.eventsUrl,
      signedForm(SIGNING_SECRET, {
        team_id: 'T1',
        channel_id: 'C1',
        user_id: 'U1',
        command: '/task',
        text: 'x',
        response_url: h.fake.responseUrl('slow-1'),
        trigger_id: 'trig.slow.1',
      }),
    )
    expect(r.status).toBe(200)
    expect(r.ms).toBeLessThan(3000) // Slack's limit; waiting for views.open would take 3.5 s
    const answer = await waitFor(() => h.fake.responses.find((x) => x.id === 'slow-1'), 'the answer after the slow views.open', 8000)
    expect(answer.body.text).toBe('opened')
    h.fake.delay('views.open', 0)
  }, 15_000)

  it('opens a modal with the trigger_id from a message shortcut', async () => {
    const r = await post(
      h.eventsUrl,
      signedInteraction(SIGNING_SECRET, {
        type: 'message_action',
        callback_id: 'save_to_knowledge',
        trigger_id: 'trig.short.1',
        team: { id: 'T1', domain: 'acme' },
        user: { id: 'U1', name: 'ada' },
        channel: { id: 'C1', name: 'general' },
        response_url: h.fake.responseUrl('short-1'),
        message_ts: '1700000000.000100',
        message: { type: 'message', user: 'U1', ts: '1700000000.000100', text: 'How do I &lt;deploy&gt;?' },
      }),
    )
    expect(r.status).toBe(200)
    const open = await waitFor(() => h.fake.callsOf('views.open').find((c) => c.params.trigger_id === 'trig.short.1'))
    const view = open.params.view as { callback_id: string; private_metadata: string; blocks: { element: { initial_value: string } }[] }
    expect(view.callback_id).toBe('test:save')
    expect(JSON.parse(view.private_metadata)).toEqual({ ts: '1700000000.000100' })
    expect(view.blocks[0]!.element.initial_value).toBe('How do I <deploy>?')
    expect(open.token).toBe('xoxb-test-token')
  })

  it('keeps a modal open with per-field errors on a bad submission, closes it on a good one', async () => {
    const submit = (title: string, trigger: string) =>
      post(
        h.eventsUrl,
        signedInteraction(SIGNING_SECRET, {
          type: 'view_submission',
          team: { id: 'T1' },
          user: { id: 'U1' },
          trigger_id: trigger,
          view: {
            id: 'V1',
            callback_id: 'test:save',
            hash: 'h1',
            private_metadata: '{}',
            state: { values: { title: { title: { type: 'plain_text_input', value: title } } } },
          },
        }),
      )
    const bad = await submit('x', 'trig.view.1')
    expect(bad.status).toBe(200)
    expect(JSON.parse(bad.text)).toEqual({ response_action: 'errors', errors: { title: 'A title needs at least 3 characters.' } })
    const good = await submit('A fine title', 'trig.view.2')
    expect(good.status).toBe(200)
    expect(good.text).toBe('')
  })

  it('replaces the message a button was on through response_url', async () => {
    const r = await post(
      h.eventsUrl,
      signedInteraction(SIGNING_SECRET, {
        type: 'block_actions',
        team: { id: 'T1' },
        user: { id: 'U1' },
        trigger_id: 'trig.btn.1',
        response_url: h.fake.responseUrl('btn-1'),
        container: { type: 'message', message_ts: '1700000000.000200', channel_id: 'C1' },
        channel: { id: 'C1' },
        message: { ts: '1700000000.000200', text: 'card' },
        actions: [{ action_id: 'test:done', value: 'task-1', type: 'button', action_ts: '1' }],
      }),
    )
    expect(r.status).toBe(200)
    const answer = await waitFor(() => h.fake.responses.find((x) => x.id === 'btn-1'))
    expect(answer.body).toMatchObject({ replace_original: true, text: 'Done ✅' })
  })

  it('retries a Web API call answered 429 after Retry-After, and it succeeds', async () => {
    h.fake.failNext('chat.postMessage', { retryAfter: 1 })
    const before = h.fake.callsOf('chat.postMessage').length
    const r = await post(h.eventsUrl, signedJson(SIGNING_SECRET, envelope(message('please answer'))))
    expect(r.status).toBe(200)
    const calls = await waitFor(
      () => {
        const c = h.fake.callsOf('chat.postMessage').slice(before)
        return c.length >= 2 && c
      },
      'the retried postMessage',
      8000,
    )
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000)
    expect(calls[1]!.params).toMatchObject({ channel: 'C1', text: 'answered' })
  }, 15_000)

  it('parses form bodies only with exactly application/x-www-form-urlencoded (as Slack sends them)', async () => {
    const fields = {
      team_id: 'T1',
      channel_id: 'C1',
      user_id: 'U1',
      command: '/kb',
      text: 'vpn',
      response_url: h.fake.responseUrl('ct-1'),
      trigger_id: 'trig.ct.1',
    }
    const withCharset = await post(
      h.eventsUrl,
      signedForm(SIGNING_SECRET, fields, { contentType: 'application/x-www-form-urlencoded; charset=utf-8' }),
    )
    expect(withCharset.status).toBe(400)
    const exact = await post(h.eventsUrl, signedForm(SIGNING_SECRET, { ...fields, trigger_id: 'trig.ct.2' }))
    expect(exact.status).toBe(200)
    const answer = await waitFor(() => h.fake.responses.find((x) => x.id === 'ct-1'))
    expect(answer.body.text).toBe('hello vpn')
  })

  it('answers garbage and malformed bodies with 4xx and keeps serving', async () => {
    const garbage = await post(h.eventsUrl, signed(SIGNING_SECRET, '{"type": "event_callback", oops', 'application/json'))
    expect(garbage.status).toBe(400)
    const badPayload = await post(h.eventsUrl, signedForm(SIGNING_SECRET, { payload: 'not json{' }))
    expect(badPayload.status).toBe(400)
    const unsigned = await post(h.eventsUrl, { body: '\u0000\u0001binary', headers: { 'content-type': 'application/octet-stream' } })
    expect(unsigned.status).toBe(401)
    // Valid JSON that is no Slack payload: Bolt cannot type it, nothing acks it, it answers 404.
    const shapeless = await post(h.eventsUrl, signedJson(SIGNING_SECRET, { hello: 'world' }))
    expect(shapeless.status).toBe(404)
    const ok = await post(h.eventsUrl, signedJson(SIGNING_SECRET, { type: 'url_verification', challenge: 'still-alive' }))
    expect(JSON.parse(ok.text)).toEqual({ challenge: 'still-alive' })
  }, 10_000)
})
