/**
 * Events API listeners. The delivery is in the inbox and Bolt has acked (it acks every event before
 * listeners run), so everything here happens after Slack got its 200 and a slow Web API cannot
 * cause a retry; a crash here replays the delivery from the inbox after restart.
 */
import { z } from 'zod'
import { workspaceId } from '../../src/core/model.ts'
import type { Turn } from '../../src/core/ports.ts'
import { turnBase, type SlackDeps } from './deps.ts'
import { deliveryTeam, inboxRunOf, type IntakeApp } from './intake.ts'
import { eventEnvelope, translateEvent } from './translate-events.ts'
import { eventTurn } from './turns.ts'

const tokensRevoked = z.object({ tokens: z.object({ bot: z.array(z.string()).optional(), oauth: z.array(z.string()).optional() }) })

const silentTurn: Turn = { reply: async () => undefined }

async function onUninstalled(
  d: SlackDeps,
  teamId: string,
  event: Parameters<SlackDeps['dispatch']>[1],
  run: Parameters<SlackDeps['dispatch']>[3],
): Promise<void> {
  // Capabilities get to clean up first, while the workspace row still exists.
  await d.dispatch(teamId, event, silentTurn, run)
  await d.installations?.deleteInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false })
  await d.host.repos.workspaces.remove(workspaceId('slack', teamId))
  // Job payloads are the workspace's data too (names, text of reminders, thread ids).
  const jobs = await d.host.queue.purgeWorkspace(workspaceId('slack', teamId))
  d.host.log.info({ workspace: workspaceId('slack', teamId), jobs }, 'removed the workspace’s queued and finished jobs')
  // Deliveries not processed yet or parked hold message text: never replayed, never kept.
  const deliveries = (await d.inbox?.forget(teamId, (body) => deliveryTeam(body) === teamId, run?.id)) ?? 0
  if (deliveries) d.host.log.info({ workspace: workspaceId('slack', teamId), deliveries }, 'removed the workspace’s stored deliveries')
  d.workspaces.forget(teamId)
  d.host.log.info({ workspace: workspaceId('slack', teamId) }, 'slack app uninstalled; workspace data removed')
}

async function onTokensRevoked(d: SlackDeps, teamId: string, raw: unknown): Promise<void> {
  const { tokens } = tokensRevoked.parse(raw)
  if (!tokens.bot?.length) return // only user tokens: Beacon asks for none
  const auth = await d.clients.auth(teamId).catch(() => undefined)
  if (auth) d.clients.drop(auth.token)
  await d.installations?.deleteInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false })
  d.host.log.warn({ workspace: workspaceId('slack', teamId) }, 'slack bot token revoked; installation deleted')
}

/**
 * Every Events API delivery, as global middleware after Bolt's own (ignoreSelf): Beacon handles each
 * one here and stops, so an event does not also walk the listener chains of commands, shortcuts,
 * actions and views, each of which copies the listener arguments only to find it is no concern of
 * theirs (~30 µs of CPU per message event: bench/slack-ack.ts). What `app.event(/.*\/)` matched (any
 * event with a type) is handled; everything else goes on to those listeners. A throw reaches Bolt's
 * error handler (app.error) as a listener's would.
 */
export function listenToEvents(app: IntakeApp, d: SlackDeps): void {
  app.use(async (args) => {
    if (!('event' in args) || args.event === undefined) return await args.next()
    if (typeof args.event.type === 'string') await onEvent(d, args.body, args.context)
  })
  // Message events, once stored, come here without Bolt's per-request helpers (message-path.ts).
  app.useMessageListener((body, context) => onEvent(d, body, context))
}

async function onEvent(d: SlackDeps, body: unknown, context: Record<string, unknown>): Promise<void> {
  const run = inboxRunOf(context)
  const parsed = eventEnvelope.safeParse(body)
  if (!parsed.success) {
    d.host.log.warn({ issues: parsed.error.issues.slice(0, 3) }, 'slack event envelope not understood; ignored')
    return
  }
  const env = parsed.data
  const teamId = env.team_id
  try {
    if (env.event.type === 'tokens_revoked') return await onTokensRevoked(d, teamId, env.event)
    const botUserId = typeof context.botUserId === 'string' ? context.botUserId : (await d.clients.auth(teamId).catch(() => undefined))?.botUserId
    const translated = await translateEvent(env, { teamId, ...(botUserId ? { botUserId } : {}), names: d.directory.names(teamId) })
    if (!translated) return
    const { event } = translated
    if (event.type === 'app.uninstalled') return await onUninstalled(d, teamId, event, run)
    if (event.type === 'member.joined' || event.type === 'app.installed') d.directory.forgetMembers(teamId, translated.reply?.channel ?? '')
    // Converted to private or public: the next look at the channel asks Slack, not the cache.
    if (event.type === 'conversation.privacy-changed') d.directory.forgetConversation(teamId, event.conversation.id)
    const fallbackUser = 'person' in event ? event.person.id : undefined
    await d.dispatch(teamId, event, eventTurn(await turnBase(d, teamId), translated.reply, fallbackUser), run)
  } catch (err) {
    d.host.log.error({ err, eventId: env.event_id, type: env.event.type }, 'slack event failed')
  }
}
