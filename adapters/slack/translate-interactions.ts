/**
 * Slash commands, message shortcuts, block actions and view submissions → core events. None of
 * these is retried by Slack, so the trigger_id (unique per interaction) is the event id.
 */
import { z } from 'zod'
import {
  COMMANDS,
  MESSAGE_ACTIONS,
  type ButtonClicked,
  type CommandInvoked,
  type CommandName,
  type FormSubmitted,
  type MessageActionInvoked,
  type MessageActionName,
} from '../../src/core/events.ts'
import { workspaceId, type PersonRef } from '../../src/core/model.ts'
import { unescapeSlack, type NameResolver } from './translate-text.ts'
import { conversationRef, slackMessage, slackThreadId, toChatMessage } from './translate-message.ts'

export const commandPayload = z.looseObject({
  command: z.string(),
  text: z.string().default(''),
  team_id: z.string(),
  user_id: z.string(),
  user_name: z.string().optional(),
  channel_id: z.string(),
  channel_name: z.string().optional(),
  trigger_id: z.string(),
  response_url: z.string().optional(),
})

const team = z.object({ id: z.string() }).nullable().optional()
const user = z.object({ id: z.string(), team_id: z.string().optional() })

export const shortcutPayload = z.looseObject({
  type: z.literal('message_action'),
  callback_id: z.string(),
  trigger_id: z.string(),
  team,
  user,
  channel: z.object({ id: z.string(), name: z.string().optional() }),
  message: slackMessage,
  response_url: z.string().optional(),
})

export const blockActionsPayload = z.looseObject({
  type: z.literal('block_actions'),
  trigger_id: z.string().optional(),
  team,
  user,
  container: z
    .looseObject({ type: z.string(), message_ts: z.string().optional(), channel_id: z.string().optional(), view_id: z.string().optional() })
    .optional(),
  channel: z.object({ id: z.string() }).optional(),
  message: z.looseObject({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  /** The view the button was on (App Home, a modal); absent for buttons on messages. */
  view: z.looseObject({ type: z.string().optional() }).optional(),
  actions: z.array(
    z.looseObject({
      action_id: z.string(),
      action_ts: z.string().optional(),
      value: z.string().optional(),
      url: z.string().optional(),
      selected_option: z.object({ value: z.string() }).nullish(),
    }),
  ),
})

const stateValue = z.looseObject({
  type: z.string().optional(),
  value: z.string().nullish(),
  selected_date: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
})

export const viewSubmissionPayload = z.looseObject({
  type: z.literal('view_submission'),
  trigger_id: z.string().optional(),
  team,
  user,
  view: z.looseObject({
    id: z.string(),
    callback_id: z.string(),
    hash: z.string().optional(),
    private_metadata: z.string().optional(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), stateValue)) }).default({ values: {} }),
  }),
})

/** The team a payload belongs to (team is null for some Enterprise Grid org-level surfaces). */
export function teamOf(p: { team?: { id: string } | null | undefined; user: { team_id?: string | undefined } }): string | undefined {
  return p.team?.id ?? p.user.team_id
}

function base(teamId: string, eventId: string, at: Date) {
  return { eventId, workspace: workspaceId('slack', teamId), platform: 'slack' as const, at }
}

function person(teamId: string, id: string): PersonRef {
  return { workspace: workspaceId('slack', teamId), id }
}

/** "/kb" → "kb"; undefined for a command Beacon does not know (renamed in the app config). */
export function commandName(slash: string): Exclude<CommandName, 'help'> | undefined {
  const name = slash.replace(/^\//, '').toLowerCase()
  return (COMMANDS as readonly string[]).includes(name) && name !== 'help' ? (name as Exclude<CommandName, 'help'>) : undefined
}

export function translateCommand(p: z.infer<typeof commandPayload>, at: Date): CommandInvoked | undefined {
  const command = commandName(p.command)
  if (!command) return undefined
  return {
    ...base(p.team_id, p.trigger_id, at),
    type: 'command',
    command,
    // Mention tokens (<@U1|ada>) stay raw: the core resolves them to people (src/core/tasks/mentions.ts).
    text: unescapeSlack(p.text).trim(),
    person: person(p.team_id, p.user_id),
    conversation: conversationRef(p.team_id, p.channel_id, {
      ...(p.channel_name && p.channel_name !== 'directmessage' && p.channel_name !== 'privategroup' ? { name: p.channel_name } : {}),
      ...(p.channel_name === 'directmessage' ? { privacy: 'direct' as const } : {}),
    }),
  }
}

export async function translateShortcut(
  p: z.infer<typeof shortcutPayload>,
  teamId: string,
  at: Date,
  names: NameResolver,
): Promise<MessageActionInvoked | undefined> {
  if (!(MESSAGE_ACTIONS as readonly string[]).includes(p.callback_id)) return undefined
  const conversation = conversationRef(teamId, p.channel.id, { name: p.channel.name })
  return {
    ...base(teamId, p.trigger_id, at),
    type: 'message.action',
    action: p.callback_id as MessageActionName,
    person: person(teamId, p.user.id),
    message: await toChatMessage(teamId, conversation, p.message, names),
  }
}

export function translateBlockActions(p: z.infer<typeof blockActionsPayload>, teamId: string, at: Date): ButtonClicked[] {
  const channel = p.container?.channel_id ?? p.channel?.id
  const messageTs = p.container?.message_ts ?? p.message?.ts
  const source =
    p.container?.type === 'message' && channel && messageTs
      ? {
          conversation: conversationRef(teamId, channel),
          messageId: messageTs,
          threadId: slackThreadId(teamId, channel, p.message?.thread_ts ?? messageTs),
        }
      : undefined
  return p.actions
    .filter((a) => !a.url) // link buttons open a page; there is nothing to act on
    .map((a, i) => ({
      ...base(teamId, `${p.trigger_id ?? a.action_ts ?? `${teamId}:${p.user.id}:${a.action_id}`}${i ? `:${i}` : ''}`, at),
      type: 'button' as const,
      actionId: a.action_id,
      ...((a.value ?? a.selected_option?.value) !== undefined ? { value: (a.value ?? a.selected_option?.value)! } : {}),
      person: person(teamId, p.user.id),
      ...(channel ? { conversation: conversationRef(teamId, channel) } : {}),
      ...(source ? { source } : {}),
    }))
}

/** state.values[blockId][actionId] → { blockId: value }; Beacon uses the field id for both. */
export function formValues(values: z.infer<typeof viewSubmissionPayload>['view']['state']['values']): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [blockId, actions] of Object.entries(values)) {
    for (const v of Object.values(actions)) {
      const value = v.value ?? v.selected_date ?? v.selected_option?.value
      if (value !== undefined && value !== null) out[blockId] = value
    }
  }
  return out
}

export function translateViewSubmission(p: z.infer<typeof viewSubmissionPayload>, teamId: string, at: Date): FormSubmitted {
  return {
    ...base(teamId, p.trigger_id ?? `${p.view.id}:${at.getTime()}`, at),
    type: 'form.submitted',
    formId: p.view.callback_id,
    values: formValues(p.view.state.values),
    ...(p.view.private_metadata ? { context: p.view.private_metadata } : {}),
    person: person(teamId, p.user.id),
  }
}
