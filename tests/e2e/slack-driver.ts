/**
 * Drives a composed Beacon the way Slack does: signed slash commands, message shortcuts, block
 * actions, view submissions and Events API callbacks to POST /slack/events, with answers read from
 * the fake Web API (calls) and the fake response_url endpoint.
 */
import { expect } from 'vitest'
import type { ApiCall, FakeSlackApi, ResponseUrlCall } from '../support/fake-slack-api.ts'
import { post, signedForm, signedInteraction, signedJson } from '../support/slack-signing.ts'
import { SIGNING_SECRET, envelope } from '../adapters/slack/harness.ts'
import { waitFor } from '../support/wait.ts'

let seq = 0
const next = (p: string) => `${p}-${Date.now()}-${++seq}`

export interface SlackBlock {
  type: string
  block_id?: string
  text?: { text: string }
  fields?: { text: string }[]
  elements?: { type: string; action_id?: string; value?: string; url?: string; text?: { text: string } }[]
  element?: { type: string; action_id: string; initial_value?: string }
}

/** Every button of a Block Kit message or view. */
export function buttons(blocks: unknown): { action_id: string; value?: string; url?: string; label: string }[] {
  return ((blocks ?? []) as SlackBlock[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.type === 'button')
    .map((e) => ({
      action_id: e.action_id!,
      ...(e.value !== undefined ? { value: e.value } : {}),
      ...(e.url ? { url: e.url } : {}),
      label: e.text?.text ?? '',
    }))
}

/** All the text a person sees in a message: fallback text, sections, fields, context. */
export function visibleText(m: { text?: unknown; blocks?: unknown }): string {
  const parts: string[] = [String(m.text ?? '')]
  for (const b of (m.blocks ?? []) as (SlackBlock & { elements?: { text?: unknown }[] })[]) {
    if (b.text?.text) parts.push(b.text.text)
    for (const f of b.fields ?? []) parts.push(f.text)
    if (b.type === 'context') for (const e of b.elements ?? []) if (typeof e.text === 'string') parts.push(e.text)
  }
  return parts.join('\n')
}

export class SlackDriver {
  constructor(
    readonly eventsUrl: string,
    readonly fake: FakeSlackApi,
  ) {}

  /** `/task <text>` as `user` in `channel`; resolves with what arrived at the command's response_url. */
  async command(text: string, user = 'UALICE', channel = 'C1', command = '/task'): Promise<ResponseUrlCall['body']> {
    const id = next('cmd')
    const res = await post(
      this.eventsUrl,
      signedForm(SIGNING_SECRET, {
        token: 'legacy',
        team_id: 'T1',
        team_domain: 'acme',
        channel_id: channel,
        channel_name: channel.startsWith('D') ? 'directmessage' : 'general',
        user_id: user,
        user_name: user.toLowerCase(),
        command,
        text,
        api_app_id: 'A1',
        is_enterprise_install: 'false',
        response_url: this.fake.responseUrl(id),
        trigger_id: `trig.${id}`,
      }),
    )
    expect(res.status).toBe(200)
    expect(res.ms).toBeLessThan(3000)
    return (await waitFor(() => this.fake.responses.find((r) => r.id === id), `a response_url answer to ${command} ${text.slice(0, 40)}`)).body
  }

  /** A button click; `from` is where the button was (a message with its response_url, or App Home). */
  async click(
    user: string,
    button: { action_id: string; value?: string },
    from: { message: { channel: string; ts: string; ephemeral?: boolean } } | { home: true },
  ): Promise<{ responseId?: string; status: number }> {
    const id = next('btn')
    const where =
      'home' in from
        ? { container: { type: 'view', view_id: 'VHOME' }, view: { id: 'VHOME', type: 'home', callback_id: '' } }
        : {
            container: {
              type: 'message',
              message_ts: from.message.ts,
              channel_id: from.message.channel,
              is_ephemeral: from.message.ephemeral ?? false,
            },
            channel: { id: from.message.channel, name: from.message.channel.startsWith('D') ? 'directmessage' : 'general' },
            ...(from.message.ephemeral ? {} : { message: { type: 'message', ts: from.message.ts, text: 'card' } }),
            response_url: this.fake.responseUrl(id),
          }
    const res = await post(
      this.eventsUrl,
      signedInteraction(SIGNING_SECRET, {
        type: 'block_actions',
        user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
        api_app_id: 'A1',
        token: 'legacy',
        trigger_id: `trig.${id}`,
        team: { id: 'T1', domain: 'acme' },
        ...where,
        actions: [
          {
            action_id: button.action_id,
            block_id: 'b1',
            text: { type: 'plain_text', text: 'x' },
            ...(button.value !== undefined ? { value: button.value } : {}),
            type: 'button',
            action_ts: `${Date.now() / 1000}`,
          },
        ],
      }),
    )
    expect(res.status).toBe(200)
    return { ...('home' in from ? {} : { responseId: id }), status: res.status }
  }

  /** The `create_task` message shortcut on a message; resolves with the trigger id used. */
  async shortcut(
    user: string,
    channel: string,
    message: { ts: string; user: string; text: string; thread_ts?: string },
    callbackId = 'create_task',
  ): Promise<string> {
    const id = next('sc')
    const res = await post(
      this.eventsUrl,
      signedInteraction(SIGNING_SECRET, {
        type: 'message_action',
        token: 'legacy',
        action_ts: `${Date.now() / 1000}`,
        team: { id: 'T1', domain: 'acme' },
        user: { id: user, username: user.toLowerCase(), team_id: 'T1', name: user.toLowerCase() },
        channel: { id: channel, name: 'general' },
        is_enterprise_install: false,
        callback_id: callbackId,
        trigger_id: `trig.${id}`,
        response_url: this.fake.responseUrl(id),
        message_ts: message.ts,
        message: { type: 'message', ...message },
      }),
    )
    expect(res.status).toBe(200)
    return `trig.${id}`
  }

  /** Submits a modal as Slack does (values keyed by block id, then action id); resolves with the ack body. */
  async submit(
    user: string,
    view: { callback_id: string; private_metadata?: string },
    values: Record<string, string>,
  ): Promise<{ status: number; body: unknown; ms: number }> {
    const id = next('view')
    const res = await post(
      this.eventsUrl,
      signedInteraction(SIGNING_SECRET, {
        type: 'view_submission',
        team: { id: 'T1', domain: 'acme' },
        user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
        api_app_id: 'A1',
        token: 'legacy',
        trigger_id: `trig.${id}`,
        view: {
          id: `V${id}`,
          type: 'modal',
          callback_id: view.callback_id,
          ...(view.private_metadata !== undefined ? { private_metadata: view.private_metadata } : {}),
          hash: '1700.abc',
          state: { values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { [k]: { type: 'plain_text_input', value: v } }])) },
        },
      }),
    )
    return { status: res.status, body: res.text ? (JSON.parse(res.text) as unknown) : undefined, ms: res.ms }
  }

  async event(event: Record<string, unknown>): Promise<void> {
    const res = await post(this.eventsUrl, signedJson(SIGNING_SECRET, envelope(event)))
    expect(res.status).toBe(200)
  }

  /** chat.postMessage calls into the DM Beacon opened with `user` (the fake names it "D<user>"). */
  dms(user: string, since = 0): ApiCall[] {
    return this.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === `D${user}` && c.at >= since)
  }

  /** Thread replies Beacon posted under `ts` in `channel`. */
  threadPosts(channel: string, ts: string): ApiCall[] {
    return this.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === channel && c.params.thread_ts === ts)
  }

  responses(id: string): ResponseUrlCall[] {
    return this.fake.responses.filter((r) => r.id === id)
  }
}
