/**
 * Invoke payloads (message actions, dialog submissions, Action.Execute) → core events, and the
 * Turn's outcome → the exact body Teams expects back for each invoke name.
 */
import type { AdaptiveCardInvokeResponse, MessagingExtensionActionResponse } from 'botbuilder'
import { z } from 'zod'
import type { MessageActionName } from '../../src/core/events.ts'
import type { ChatMessage, PersonRef } from '../../src/core/model.ts'
import type { Form } from '../../src/core/outbound.ts'
import { graphMessage } from './graph-client.ts'
import { capMessage, htmlToMarkdown } from './html-to-markdown.ts'
import { ADAPTIVE_CARD_CONTENT_TYPE, FORM_DATA_KEY, FORM_SUBMIT_VERB, renderFormCard, type AdaptiveCard } from './render-adaptive-card.ts'
import { threadIdOf, type Where } from './translate-activity.ts'
import type { InvokeOutcome } from './turns.ts'

/** Manifest command ids → the core's message actions (Slack callback ids). */
export const MESSAGE_ACTION_IDS: Record<string, MessageActionName> = {
  saveToKnowledge: 'save_to_knowledge',
  createTask: 'create_task',
}

const record = z.record(z.string(), z.unknown())

export const messageExtensionAction = z.looseObject({
  commandId: z.string().min(1),
  commandContext: z.string().optional(),
  messagePayload: graphMessage.partial({ createdDateTime: true }).extend({ linkToMessage: z.string().nullish() }).optional(),
  data: record.nullish(),
})

export const cardActionValue = z.looseObject({
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
export function formSubmission(data: Record<string, unknown> | null | undefined): FormSubmission | undefined {
  const form = formSchema.safeParse(data?.[FORM_DATA_KEY])
  if (!data || !form.success) return undefined
  const known = new Set(form.data.fields.map((f) => f.id))
  const values: Record<string, string> = {}
  for (const [k, v] of Object.entries(data)) if (known.has(k) && typeof v === 'string') values[k] = v
  return { form: form.data as Form, values }
}

/** The message a message action was invoked on, as the core sees it. */
export function actedOnMessage(
  payload: NonNullable<z.infer<typeof messageExtensionAction>['messagePayload']>,
  where: Where,
  fallbackAt: Date,
): ChatMessage {
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

export { FORM_SUBMIT_VERB }

const attachment = (content: AdaptiveCard) => ({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content })

/** composeExtension/fetchTask and /submitAction answers: a dialog, a message in the dialog, or close. */
export function taskResponse(outcome: InvokeOutcome | undefined, closeWhenEmpty: boolean): MessagingExtensionActionResponse {
  switch (outcome?.kind) {
    case 'form':
      return {
        task: {
          type: 'continue',
          value: {
            title: outcome.form.title,
            width: 'medium',
            height: 'medium',
            card: attachment(renderFormCard(outcome.form, { surface: 'dialog', ...pick(outcome) })),
          },
        },
      }
    case 'card':
      return { task: { type: 'continue', value: { title: outcome.title ?? 'Beacon', width: 'medium', card: attachment(outcome.card) } } }
    case 'message':
      return { task: { type: 'message', value: outcome.text } }
    default:
      // Submitting with nothing to say closes the dialog; opening one must show something.
      return closeWhenEmpty ? {} : { task: { type: 'message', value: 'Done.' } }
  }
}

/** adaptiveCard/action answer: the card that replaces the clicked one, or a short message. */
export function cardActionResponse(outcome: InvokeOutcome | undefined): AdaptiveCardInvokeResponse {
  switch (outcome?.kind) {
    case 'form':
      return cardBody(renderFormCard(outcome.form, { surface: 'message', ...pick(outcome) }))
    case 'card':
      return cardBody(outcome.card)
    default:
      // The schema types `value` as an object; Teams takes a string for the message type.
      return {
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: (outcome?.text ?? 'Done.') as unknown as Record<string, unknown>,
      }
  }
}

function cardBody(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card as unknown as Record<string, unknown> }
}

function pick(o: { errors?: Record<string, string>; values?: Record<string, string> }) {
  return { ...(o.errors ? { errors: o.errors } : {}), ...(o.values ? { values: o.values } : {}) }
}
