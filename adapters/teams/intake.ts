/**
 * Persist before ack, on Teams. Bot Framework answers each POST only after the turn ran, but a turn
 * that outlives the invoke budget is answered early and finishes in the background, and a crash
 * there would lose it: so each activity is written to the inbox before botbuilder sees it, and the
 * row is done only when the turn and its background work are. After a restart the stored activity
 * runs through the bot again without a live request (every reply goes out proactively).
 */
import type { Activity, TurnContext } from 'botbuilder'
import { CloudAdapter } from './botbuilder.ts'
import { z } from 'zod'
import type { InboxRun } from '../../src/core/adapter-host.ts'

/** turnState key: the inbox run of the activity being processed, and where to report background work. */
export const INBOX_TURN_KEY = Symbol('beaconInbox')

export interface InboxTurn {
  run: InboxRun
  /** Work that continues after the HTTP answer (a detached turn): the row is done only after it. */
  track(work: Promise<unknown>): void
}

const keyed = z.looseObject({
  type: z.string(),
  id: z.string().min(1),
  conversation: z.looseObject({ id: z.string().min(1) }),
  timestamp: z.string().optional(),
})

/**
 * The activity's identity, the same when Bot Framework retries it. Edits and deletes carry the id
 * of the message they change, so the type is part of it, and each edit its own time.
 */
export function activityKey(body: unknown): string | undefined {
  const p = keyed.safeParse(body)
  if (!p.success) return undefined
  const a = p.data
  if (a.type === 'messageUpdate' && !a.timestamp) return undefined // nothing tells two edits apart: not deduped
  return `${a.type}|${a.conversation.id}|${a.id}${a.type === 'messageUpdate' ? `|${a.timestamp}` : ''}`
}

export class ReplayableCloudAdapter extends CloudAdapter {
  /** Runs a stored activity through `logic` as a proactive turn: the connector is ours, nothing answers an HTTP request. */
  async replay(appId: string | undefined, activity: unknown, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.processProactive(this.createClaimsIdentity(appId), activity as Activity, undefined, logic)
  }
}

/** Runs `logic` with the inbox run in turnState; resolves once the turn and its background work finished. */
export async function withInboxTurn(
  run: InboxRun,
  process: (logic: (context: TurnContext) => Promise<void>) => Promise<void>,
  logic: (context: TurnContext) => Promise<void>,
): Promise<void> {
  const background: Promise<unknown>[] = []
  const turn: InboxTurn = { run, track: (w) => void background.push(w) }
  await process((context) => {
    context.turnState.set(INBOX_TURN_KEY, turn)
    return logic(context)
  })
  await Promise.allSettled(background)
}
