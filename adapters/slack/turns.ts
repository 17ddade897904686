/**
 * Turn implementations: where a reply goes for each kind of Slack interaction, and what Slack
 * lets Beacon do in response (a modal only while the trigger_id is fresh, replacing the message a
 * button was on through its response_url).
 */
import type { RespondArguments } from '@slack/bolt'
import { workspaceId } from '../../src/core/model.ts'
import type { Form, Outbound } from '../../src/core/outbound.ts'
import type { Turn } from '../../src/core/ports.ts'
import { renderMessage, renderModal } from './render-block-kit.ts'
import type { SlackPlatform } from './slack-platform.ts'
import type { WebClient } from './slack-clients.ts'
import { conversationRef, slackThreadId } from './translate-message.ts'

export type Respond = (message: RespondArguments) => Promise<unknown>

export interface TurnBase {
  platform: SlackPlatform
  client: WebClient
  teamId: string
}

/** Events API: reply in the thread (ephemeral with visibleTo), or by DM when there is no channel. */
export function eventTurn(b: TurnBase, spot: { channel: string; threadTs?: string; newThread?: boolean } | undefined, fallbackUser?: string): Turn {
  return {
    reply: async (m) => {
      if (spot) {
        const conversation = conversationRef(b.teamId, spot.channel)
        // Slack shows an ephemeral message in a thread only once that thread has replies: a private
        // answer to a fresh top-level message goes right under it in the channel instead.
        const inThread = spot.threadTs && !(m.visibleTo && spot.newThread)
        const threadId = inThread ? slackThreadId(b.teamId, spot.channel, spot.threadTs!) : undefined
        await b.platform.post({ conversation, ...(threadId ? { threadId } : {}) }, m)
        return
      }
      const to = m.visibleTo ?? fallbackUser
      if (to) await b.platform.post({ dmTo: { workspace: workspaceId('slack', b.teamId), id: to } }, m)
    },
  }
}

export interface InteractiveSpot {
  userId: string
  triggerId?: string
  respond?: Respond
  /** The message the interaction came from (shortcut target, button's message). */
  source?: { channel: string; ts: string }
  /** block_actions answer through response_url; keep Slack from replacing the button message by default. */
  isButton?: boolean
}

/** Slash commands, shortcuts and buttons: respond() to response_url, modals with the trigger_id. */
export function interactiveTurn(b: TurnBase, s: InteractiveSpot): Turn {
  const dm = (m: Outbound) => b.platform.post({ dmTo: { workspace: workspaceId('slack', b.teamId), id: s.userId } }, m)
  const turn: Turn = {
    reply: async (m) => {
      if (!s.respond) {
        // App Home buttons and the like have no response_url: a DM is the only place to answer.
        await dm(m)
        return
      }
      await s.respond({
        response_type: m.visibleTo ? 'ephemeral' : 'in_channel',
        ...(s.isButton ? { replace_original: false } : {}),
        ...renderMessage(m),
      })
    },
  }
  if (s.triggerId) {
    const triggerId = s.triggerId
    turn.openForm = async (form: Form) => {
      await b.client.views.open({ trigger_id: triggerId, view: renderModal(form) })
    }
  }
  if (s.source) {
    const source = s.source
    turn.replaceSource = async (m) => {
      if (s.respond && s.isButton) {
        await s.respond({ replace_original: true, ...renderMessage(m) })
        return
      }
      await b.platform.update(
        { conversation: conversationRef(b.teamId, source.channel), id: source.ts, threadId: slackThreadId(b.teamId, source.channel, source.ts) },
        m,
      )
    }
  }
  return turn
}

export type ViewAck = { response_action: 'errors'; errors: Record<string, string> } | undefined

/** view_submission: the errors a handler raised become the ack; replies go by DM (a modal has no channel). */
export function viewSubmissionTurn(b: TurnBase, userId: string): Turn & { ackBody(): ViewAck } {
  let errors: Record<string, string> | undefined
  return {
    reply: async (m) => {
      await b.platform.post({ dmTo: { workspace: workspaceId('slack', b.teamId), id: userId } }, m)
    },
    rejectForm: async (e) => {
      errors = { ...errors, ...e }
    },
    ackBody: () => (errors && Object.keys(errors).length ? { response_action: 'errors', errors } : undefined),
  }
}
