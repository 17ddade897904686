/**
 * Teams invokes → core events, without botbuilder: the invoke activity's JSON in (validated by
 * `activitySchema`, its `value` by the schemas below), the event to dispatch out, with where the
 * turn's public replies go. Like translate-events.ts for messages; the bot (bot.ts) only remembers,
 * dispatches and answers (invoke-responses.ts).
 */
import { z } from 'zod'
import type { InboundEvent, MessageActionName } from '../../src/core/events.ts'
import type { ChatMessage, PersonRef } from '../../src/core/model.ts'
import type { Form } from '../../src/core/outbound.ts'
import type { PostTarget } from '../../src/core/ports.ts'
import { graphMessage } from './graph-client.ts'
import { capMessage, htmlToMarkdown } from './html-to-markdown.ts'
import { FORM_DATA_KEY, FORM_SUBMIT_VERB } from './render-adaptive-card.ts'
import { personOf, threadIdOf, timestampOf, type TeamsActivity, type Where } from './translate-activity.ts'

/** Manifest command ids → the core's message actions (Slack callback ids). */
const MESSAGE_ACTION_IDS: Record<string, MessageActionName> = {
  saveToKnowledge: 'save_to_knowledge',
  createTask: 'create_task',
}

const record = z.record(z.string(), z.unknown())

const messageExtensionAction = z.looseObject({
  commandId: z.string().min(1),
  commandContext: z.string().optional(),
  messagePayload: graphMessage.partial({ createdDateTime: true }).extend({ linkToMessage: z.string().nullish() }).optional(),
  data: record.nullish(),
})

const cardActionValue = z.looseObject({
  action: z.looseObject({ type: z.string(), verb: z.string().min(1), data: record.nullish() }),
})

const formField = z.looseObject({
  id: z.string().min(1),
  label: z.string(),
  kind: z.enum(['text', 'multiline', 'date', 'select']),
  initial: z.string().optional(),
  placeholder: z.string().optional(),
  required: z.boolean().optional(),
  maxLength: z.number().optional(),
  options: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
})
const formSchema = z.looseObject({
  formId: z.string().min(1),
  title: z.string(),
  submitLabel: z.string(),
  context: z.string().optional(),
  fields: z.array(formField),
})

export interface FormSubmission {
  form: Form
  values: Record<string, string>
}

/** Inputs arrive merged into the submit action's data, beside the form Beacon put there. */
function formSubmission(data: Record<string, unknown> | null | undefined): FormSubmission | undefined {
  const form = formSchema.safeParse(data?.[FORM_DATA_KEY])
  if (!data || !form.success) return undefined
  const known = new Set(form.data.fields.map((f) => f.id))
  const values: Record<string, string> = {}
  for (const [k, v] of Object.entries(data)) if (known.has(k) && typeof v === 'string') values[k] = v
  return { form: form.data as Form, values }
}

/** The message a message action was invoked on, as the core sees it. */
function actedOnMessage(payload: NonNullable<z.infer<typeof messageExtensionAction>['messagePayload']>, where: Where, fallbackAt: Date): ChatMessage {
  const who = payload.from?.user ?? payload.from?.application
  const content = payload.body.content ?? ''
  const root = where.kind === 'channel' ? (payload.replyToId ?? where.rootId ?? payload.id) : payload.id
  const files = (payload.attachments ?? []).filter((a) => a.contentUrl && /^https?:/i.test(a.contentUrl))
  const author: PersonRef = {
    workspace: where.workspace,
    id: who?.id ?? 'unknown',
    ...(who?.displayName ? { displayName: who.displayName } : {}),
    isBot: !payload.from?.user,
  }
  return {
    id: payload.id,
    threadId: threadIdOf(where, root),
    conversation: { workspace: where.workspace, id: where.conversation.id, name: where.conversation.name, privacy: where.conversation.privacy },
    author,
    text: payload.body.contentType === 'html' ? capMessage(content, htmlToMarkdown) : capMessage(content, (c) => c.trim()),
    at: payload.createdDateTime ? new Date(payload.createdDateTime) : fallbackAt,
    ...(files.length ? { attachments: files.map((f) => ({ name: f.name || 'attachment', url: f.contentUrl! })) } : {}),
    ...(payload.linkToMessage ? { permalink: payload.linkToMessage } : {}),
  }
}

/** An invoke read: what to dispatch, and where the turn's public replies go. */
export interface InvokeTranslation {
  /** The conversation; in a channel, the thread the invoke came from. */
  publicTarget: PostTarget
  /** The Beacon form that was submitted, if the invoke is a submission (the turn shows its errors in it). */
  submitted?: FormSubmission
  /** Absent for a message action Beacon does not know (answered with a message, nothing dispatched). */
  event?: InboundEvent
}

/** composeExtension/fetchTask opens a dialog; composeExtension/submitAction submits one. */
export type MessageActionInvoke = 'fetchTask' | 'submitAction'

function base(a: TeamsActivity, where: Where, kind: string, now: Date) {
  // Teams gives every invoke an id; the fallback only keeps an id-less one (the Emulator) apart.
  const eventId = a.id ?? `${where.conversation.id}|${kind}|${now.getTime()}`
  return { eventId, workspace: where.workspace, platform: 'teams' as const, at: timestampOf(a, now) }
}

function formEvent(b: ReturnType<typeof base>, { form, values }: FormSubmission, person: PersonRef): InboundEvent {
  return { ...b, type: 'form.submitted', formId: form.formId, values, ...(form.context !== undefined ? { context: form.context } : {}), person }
}

/**
 * A message action's invoke (`value` is the MessagingExtensionAction). undefined when the value is
 * not one (the bot answers 400). A submission carrying Beacon's form is that form submitted; a known
 * command on a message is the core's message action; anything else has no event.
 */
export function messageActionInvoke(a: TeamsActivity, where: Where, kind: MessageActionInvoke, now: Date): InvokeTranslation | undefined {
  const parsed = messageExtensionAction.safeParse(a.value)
  if (!parsed.success) return undefined
  const submitted = kind === 'submitAction' ? formSubmission(parsed.data.data) : undefined
  const payload = parsed.data.messagePayload
  const message = payload && actedOnMessage(payload, where, timestampOf(a, now))
  const publicTarget: PostTarget = {
    conversation: where.conversation,
    ...(message && where.kind === 'channel' ? { threadId: message.threadId } : {}),
  }
  const b = base(a, where, kind, now)
  const person = personOf(a, where)
  const action = MESSAGE_ACTION_IDS[parsed.data.commandId]
  if (submitted) return { publicTarget, submitted, event: formEvent(b, submitted, person) }
  if (action && message) return { publicTarget, event: { ...b, type: 'message.action', action, person, message } }
  return { publicTarget }
}

/**
 * An adaptiveCard/action invoke: Beacon's cards use Action.Execute, whose verb is a button's action
 * id, or the submission of a form shown inside a message. undefined for anything else (a 400).
 */
export function cardActionInvoke(a: TeamsActivity, where: Where, now: Date): InvokeTranslation | undefined {
  const parsed = cardActionValue.safeParse(a.value)
  if (!parsed.success || parsed.data.action.type !== 'Action.Execute') return undefined
  const data = parsed.data.action.data ?? {}
  const verb = parsed.data.action.verb
  const submitted = verb === FORM_SUBMIT_VERB ? formSubmission(data) : undefined
  const threadId = threadIdOf(where, where.rootId ?? a.replyToId ?? a.id ?? '')
  const publicTarget: PostTarget = { conversation: where.conversation, ...(where.kind === 'channel' ? { threadId } : {}) }
  const b = base(a, where, 'card', now)
  const person = personOf(a, where)
  if (submitted) return { publicTarget, submitted, event: formEvent(b, submitted, person) }
  const v = data.value
  // The card that was clicked is the message the invoke replies to.
  const source = a.replyToId ? { source: { conversation: where.conversation, messageId: a.replyToId, threadId } } : {}
  const event: InboundEvent = {
    ...b,
    type: 'button',
    actionId: verb,
    ...(typeof v === 'string' ? { value: v } : {}),
    person,
    conversation: where.conversation,
    ...source,
  }
  return { publicTarget, event }
}
