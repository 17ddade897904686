/**
 * Slash commands, shortcuts, buttons and modals. The delivery is already in the inbox (intake.ts);
 * each acks first and dispatches after — except view_submission, whose ack *is* the answer
 * (validation errors keep the modal open), so there the dispatch is awaited, bounded so the ack
 * still leaves inside Slack's 3 seconds. A replay after a restart comes through here again with a
 * no-op ack; its trigger_id is long expired, so it opens no modal (capabilities fall back).
 */
import type { App, RespondArguments } from '@slack/bolt'
import type { InboxRun } from '../../src/core/adapter-host.ts'
import { finishedWithin } from '../../src/core/deadline.ts'
import type { InboundEvent } from '../../src/core/events.ts'
import { workspaceId } from '../../src/core/model.ts'
import { turnBase, type SlackDeps } from './deps.ts'
import { inboxRunOf } from './intake.ts'
import {
  blockActionsPayload,
  commandPayload,
  shortcutPayload,
  teamOf,
  translateBlockActions,
  translateCommand,
  translateShortcut,
  translateViewSubmission,
  viewSubmissionPayload,
} from './translate-interactions.ts'
import { interactiveTurn, viewSubmissionTurn, type Respond } from './turns.ts'

/** Leaves ~0.5 s of Slack's 3 s for the network after a form handler ran. */
export const VIEW_SUBMISSION_BUDGET_MS = 2500

type Args = { body: unknown; respond?: (m: RespondArguments) => Promise<unknown> }

/** A trigger_id lives 3 s: a replayed delivery must not try to open a modal with it. */
function freshTrigger(triggerId: string | undefined, run: InboxRun | undefined): { triggerId?: string } {
  return triggerId && !run?.replay ? { triggerId } : {}
}

function respondOf(a: Args): Respond | undefined {
  return a.respond ? (m) => a.respond!(m) : undefined
}

async function safely(d: SlackDeps, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (err) {
    d.host.log.error({ err }, `slack ${what} failed`)
  }
}

const unknownText = (what: string) => `Beacon doesn’t know ${what}. Try \`/beacon help\`.`

export function listenToInteractions(app: App, d: SlackDeps): void {
  app.command(/.*/, async (a) => {
    await a.ack()
    const run = inboxRunOf(a.context)
    await safely(d, 'command', async () => {
      const p = commandPayload.parse(a.body)
      const respond = respondOf(a)
      const event = translateCommand(p, d.host.clock.now())
      if (!event) {
        await respond?.({ response_type: 'ephemeral', text: unknownText(`the command ${p.command}`) })
        return
      }
      const turn = interactiveTurn(await turnBase(d, p.team_id), {
        userId: p.user_id,
        ...freshTrigger(p.trigger_id, run),
        ...(respond ? { respond } : {}),
      })
      await d.dispatch(p.team_id, event, turn, run)
    })
  })

  app.shortcut(/.*/, async (a) => {
    await a.ack()
    const run = inboxRunOf(a.context)
    await safely(d, 'shortcut', async () => {
      const parsed = shortcutPayload.safeParse(a.body)
      if (!parsed.success) return // global shortcuts: Beacon declares none
      const p = parsed.data
      const teamId = teamOf(p)
      if (!teamId) return
      const respond = respondOf(a)
      const event = await translateShortcut(p, teamId, d.host.clock.now(), d.directory.names(teamId))
      if (!event) {
        await respond?.({ response_type: 'ephemeral', text: unknownText(`the shortcut ${p.callback_id}`) })
        return
      }
      const turn = interactiveTurn(await turnBase(d, teamId), {
        userId: p.user.id,
        ...freshTrigger(p.trigger_id, run),
        source: { channel: p.channel.id, ts: p.message.ts },
        ...(respond ? { respond } : {}),
      })
      await d.dispatch(teamId, event, turn, run)
    })
  })

  app.action(/.*/, async (a) => {
    await a.ack()
    const run = inboxRunOf(a.context)
    await safely(d, 'block action', async () => {
      const parsed = blockActionsPayload.safeParse(a.body)
      if (!parsed.success) return // legacy attachments / dialogs: not Beacon's
      const p = parsed.data
      const teamId = teamOf(p)
      if (!teamId) return
      const respond = respondOf(a)
      const base = await turnBase(d, teamId)
      const channel = p.container?.channel_id ?? p.channel?.id
      const ts = p.container?.message_ts ?? p.message?.ts
      for (const event of translateBlockActions(p, teamId, d.host.clock.now())) {
        const turn = interactiveTurn(base, {
          userId: p.user.id,
          isButton: true,
          ...freshTrigger(p.trigger_id, run),
          ...(respond ? { respond } : {}),
          ...(p.container?.type === 'message' && channel && ts ? { source: { channel, ts } } : {}),
        })
        await d.dispatch(teamId, event, turn, run)
      }
      // A button on App Home changed what the Home shows (a task done or snoozed): rebuild it, as
      // Slack leaves the published view as it was until the app publishes a new one.
      if (p.container?.type === 'view' && p.view?.type === 'home') {
        const at = d.host.clock.now()
        const workspace = workspaceId('slack', teamId)
        const refresh: InboundEvent = {
          eventId: `${p.trigger_id ?? `${p.user.id}:${at.getTime()}`}:home`,
          workspace,
          platform: 'slack',
          at,
          type: 'home.opened',
          person: { workspace, id: p.user.id },
        }
        await d.dispatch(teamId, refresh, interactiveTurn(base, { userId: p.user.id }), run)
      }
    })
  })

  app.view({ callback_id: /.*/, type: 'view_submission' }, async (a) => {
    const parsed = viewSubmissionPayload.safeParse(a.body)
    const teamId = parsed.success ? teamOf(parsed.data) : undefined
    const run = inboxRunOf(a.context)
    if (!parsed.success || !teamId) {
      await a.ack()
      return
    }
    const p = parsed.data
    const turn = viewSubmissionTurn(await turnBase(d, teamId), p.user.id)
    const work = d.dispatch(teamId, translateViewSubmission(p, teamId, d.host.clock.now()), turn, run).catch((err: unknown) => {
      d.host.log.error({ err, formId: p.view.callback_id }, 'slack view submission failed')
    })
    const inTime = await finishedWithin(work, VIEW_SUBMISSION_BUDGET_MS)
    if (!inTime) d.host.log.warn({ formId: p.view.callback_id }, 'form handler slower than Slack allows; modal closed without its verdict')
    const body = inTime ? turn.ackBody() : undefined
    await (body ? a.ack(body) : a.ack())
    // The inbox row is done only when the work is: a late handler still counts.
    await work
  })

  // Closing a modal needs nothing from Beacon, but an un-acked request is an error in Slack's logs.
  app.view({ callback_id: /.*/, type: 'view_closed' }, async ({ ack }) => {
    await ack()
  })
}
