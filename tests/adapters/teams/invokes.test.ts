import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Capability } from '../../../src/core/capability.ts'
import type { InboundEvent } from '../../../src/core/events.ts'
import type { Form } from '../../../src/core/outbound.ts'
import { CHANNEL, TENANT, invoke, messagePayload } from './activities.ts'
import { withCapabilities, type Harness } from './harness.ts'

const form: Form = {
  formId: 'test:task',
  title: 'Create a task',
  submitLabel: 'Create',
  context: 'msg-1700000000200',
  fields: [
    { id: 'title', label: 'Title', kind: 'text', required: true, initial: 'Ship it' },
    { id: 'due', label: 'Due', kind: 'date' },
  ],
}

const events: InboundEvent[] = []
/** While set, saving waits for the test to release it: a capability slower than any budget. */
let held: Promise<void> | undefined

const testCapability: Capability = {
  name: 'test',
  prefix: 'test',
  messageActions: {
    create_task: async (e, turn) => {
      events.push(e)
      await turn.openForm!(form)
    },
    save_to_knowledge: async (e, turn) => {
      events.push(e)
      if (held) await held
      await turn.reply({ text: `Saved “${e.message.text}”`, visibleTo: e.person.id })
    },
  },
  onForm: async (e, turn) => {
    events.push(e)
    if (!e.values.title?.trim()) return turn.rejectForm!({ title: 'A task needs a title' })
    await turn.reply({ text: `Task **${e.values.title}** created`, visibleTo: e.person.id })
  },
  onButton: async (e, turn) => {
    events.push(e)
    if (e.actionId === 'test:done')
      await turn.replaceSource!({ text: 'Done', card: { title: 'Task done ✅', blocks: [{ type: 'text', text: `closed ${e.value ?? ''}` }] } })
  },
}

describe('Teams invokes: message actions, dialogs, Action.Execute', () => {
  let h: Harness
  beforeAll(async () => {
    h = await withCapabilities([testCapability])
  })
  afterAll(() => h.close())

  it('fetchTask opens a dialog with an Adaptive Card form', async () => {
    const payload = messagePayload('1700000000200', '<p>Please <b>ship</b> <at id="0">Bob Chen</at></p>', '1700000000199')
    const res = await h.post(
      invoke(h.connector.serviceUrl, 'composeExtension/fetchTask', { commandId: 'createTask', commandContext: 'message', messagePayload: payload }),
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      task: {
        type: 'continue',
        value: {
          title: 'Create a task',
          card: { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.5' } },
        },
      },
    })
    const card = (
      res.body as {
        task: { value: { card: { content: { body: { type: string; id?: string }[]; actions: { type: string; data: Record<string, unknown> }[] } } } }
      }
    ).task.value.card.content
    expect(card.body.map((b) => b.type)).toEqual(['Input.Text', 'Input.Date'])
    expect(card.actions[0]).toMatchObject({ type: 'Action.Submit', data: { beaconForm: { formId: 'test:task' } } })
    const e = events.at(-1)
    expect(e).toMatchObject({
      type: 'message.action',
      action: 'create_task',
      message: { id: '1700000000200', text: 'Please **ship** @Bob Chen', author: { id: 'aad-bob' } },
    })
    // A reply in a channel thread belongs to its root's thread.
    expect(e?.type === 'message.action' && e.message.threadId).toBe(`teams:${TENANT}:${encodeURIComponent(CHANNEL.id)}:1700000000199`)
  })

  it('submitAction with a refused form shows it again with the error; a valid one answers in the dialog', async () => {
    const submit = (title: string) =>
      h.post(
        invoke(h.connector.serviceUrl, 'composeExtension/submitAction', {
          commandId: 'createTask',
          commandContext: 'message',
          data: { beaconForm: form, title, due: '2025-02-01' },
        }),
      )
    const refused = await submit('  ')
    expect(refused.status).toBe(200)
    expect(JSON.stringify(refused.body)).toContain('A task needs a title')
    expect(refused.body).toMatchObject({ task: { type: 'continue' } })
    const ok = await submit('Write the RFC')
    expect(ok.body).toEqual({ task: { type: 'message', value: 'Task **Write the RFC** created' } })
    expect(events.at(-1)).toMatchObject({
      type: 'form.submitted',
      formId: 'test:task',
      context: 'msg-1700000000200',
      values: { title: 'Write the RFC', due: '2025-02-01' },
    })
  })

  it('adaptiveCard/action → ButtonClicked, answered with the refreshed card', async () => {
    const res = await h.post(
      invoke(
        h.connector.serviceUrl,
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', id: 'x', verb: 'test:done', data: { value: 'task-42' } }, trigger: 'manual' },
        'channel',
        {
          replyToId: '1700000000300',
        },
      ),
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: { type: 'AdaptiveCard', body: [{ text: 'Task done ✅' }, { text: 'closed task-42' }] },
    })
    expect(events.at(-1)).toMatchObject({ type: 'button', actionId: 'test:done', value: 'task-42', source: { messageId: '1700000000300' } })
  })

  it('adaptiveCard/action nobody changes gets a short message; a non-Execute action gets 400', async () => {
    const quiet = await h.post(
      invoke(h.connector.serviceUrl, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'test:noop', data: {} } }),
    )
    expect(quiet.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' })
    const bad = await h.post(invoke(h.connector.serviceUrl, 'adaptiveCard/action', { action: { type: 'Action.Submit', data: {} } }))
    expect(bad.status).toBe(400)
  })

  it('an unknown message-extension payload is a 400, never a crash', async () => {
    const res = await h.post(invoke(h.connector.serviceUrl, 'composeExtension/fetchTask', { nope: true }))
    expect(res.status).toBe(400)
  })

  it('answers within 5 s even when the capability is slow, then posts the late reply as a DM', async () => {
    let release!: () => void
    held = new Promise((r) => (release = r))
    const started = Date.now()
    const before = h.connector.messages().length
    const res = await h.post(
      invoke(h.connector.serviceUrl, 'composeExtension/fetchTask', {
        commandId: 'saveToKnowledge',
        commandContext: 'message',
        messagePayload: messagePayload('1700000000400', '<p>slow</p>'),
      }),
    )
    const took = Date.now() - started
    // Answered while the capability was still working: Beacon's own budget (3.5 s) answered, not the capability.
    held = undefined
    release()
    expect(res.status).toBe(200)
    expect(took).toBeLessThan(5_000) // Teams' limit, 1.5 s above the budget
    expect(res.body).toMatchObject({ task: { type: 'message' } })
    // The late private reply cannot ride on the answer any more: it arrives as a new 1:1 chat.
    const late = (await h.connector.waitForMessages(before + 1, 5_000)).slice(before)
    expect(late[0]!.body).toMatchObject({ text: 'Saved “slow”' })
    // Opened with the Bot Framework id Beacon learned for Alice from her activities.
    expect(h.connector.calls.find((c) => c.kind === 'createConversation')?.body).toMatchObject({
      members: [{ id: '29:alice-bf-id' }],
      isGroup: false,
    })
  })
})
