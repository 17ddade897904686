/**
 * Proactive calls and what their failures mean. botbuilder hands an error thrown inside
 * `continueConversationAsync` to `onTurnError` and then resolves as if all went well, so a failed
 * post would look delivered; `runProactive` carries the error out instead.
 *
 * A 403 from the Bot Connector (`BotNotInConversationRoster`: the app was removed, or the person
 * never installed it; `ConversationBlockedByUser`; `BotDisabledByAdmin`) or a 404
 * `ConversationNotFound` will not change by retrying: it becomes an UndeliverableError (permanent,
 * with a sentence for whoever should hear about it instead).
 */
import type { CloudAdapter, TurnContext } from 'botbuilder'
import { UndeliverableError } from '../../src/core/errors.ts'
import { ConnectorError } from './connector-transport.ts'
import type { Reference } from './references.ts'

export async function runProactive(adapter: CloudAdapter, appId: string, ref: Reference, logic: (tc: TurnContext) => Promise<void>): Promise<void> {
  let failure: { err: unknown } | undefined
  await adapter.continueConversationAsync(appId, ref, async (tc) => {
    try {
      await logic(tc)
    } catch (err) {
      failure = { err }
    }
  })
  if (failure) throw failure.err
}

/** The Bot Connector's reason when it refused for good; undefined for anything worth retrying. */
export function permanentRefusal(err: unknown): string | undefined {
  if (!(err instanceof ConnectorError)) return undefined
  if (err.statusCode === 403) return err.errorCode ?? 'Forbidden'
  if (err.statusCode === 404 && err.errorCode === 'ConversationNotFound') return err.errorCode
  return undefined
}

export function conversationUndeliverable(name: string, reason: string, cause?: unknown): UndeliverableError {
  return new UndeliverableError(`Teams refused to deliver to ${name}: ${reason}`, 'conversation', {
    cause,
    userMessage: `Beacon can’t post in ${name} any more (Teams says: ${reason}). Add Beacon to that team or chat again to bring its messages back.`,
  })
}

export function personUndeliverable(name: string, reason: string, cause?: unknown): UndeliverableError {
  const why =
    reason === 'ConversationBlockedByUser'
      ? `${name} has blocked Beacon`
      : `${name} hasn’t added Beacon in Teams yet (Teams says: ${reason}), so Beacon can’t message them`
  return new UndeliverableError(`Teams refused a chat with ${name}: ${reason}`, 'person', {
    cause,
    userMessage: `${why}. They can open Beacon from the Teams app store (or say hi to it) to start getting its messages.`,
  })
}
