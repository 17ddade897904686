/**
 * Recognition's background work: kudos by reaction (needs the permalink and a post, i.e.
 * platform calls, so never inside the event's ack), DMs to people thanked away from a channel, and
 * the weekly digest.
 */
import type { MessageRef } from '../model.ts'
import { personOf, type PeopleSources } from '../people/resolve.ts'
import type { JobQueue } from '../ports.ts'
import type { RecognitionContext } from './deps.ts'
import { digestMessage, givenMessage, isEmptyWeek } from './render.ts'
import { kudosDigestJob, kudosDmJob, kudosReactionJob, type ReactionJob } from './job-defs.ts'
import type { KudosService } from './kudos-service.ts'
import { isoWeek } from '../time/iso-weeks.ts'
import type { WeekSummary } from './types.ts'

const WEEK_MS = 7 * 86_400_000

export function registerRecognitionJobs(queue: JobQueue, ctx: RecognitionContext, service: KudosService): void {
  queue.register(kudosReactionJob, (data) => runReaction(ctx, service, data))
  queue.register(kudosDmJob, async (d) => {
    await ctx.platforms.forWorkspace(d.workspace).post({ dmTo: { workspace: d.workspace, id: d.personId } }, { text: d.text })
  })
  queue.register(kudosDigestJob, () => runWeeklyDigest(ctx, service))
}

export async function scheduleRecognitionJobs(queue: JobQueue, ctx: RecognitionContext): Promise<void> {
  await queue.schedule(kudosDigestJob, ctx.digestCron, {})
}

const sources = (ctx: RecognitionContext): PeopleSources => ({ people: ctx.people, platforms: ctx.platforms, log: ctx.log })

export async function runReaction(ctx: RecognitionContext, service: KudosService, job: ReactionJob): Promise<void> {
  if (!job.authorId) {
    ctx.log.info({ messageId: job.messageId }, 'kudos reaction on a message without a known author; ignored')
    return
  }
  const platform = ctx.platforms.forWorkspace(job.workspace)
  const conversation = { workspace: job.workspace, id: job.conversation.id, ...(job.conversation.name ? { name: job.conversation.name } : {}) }
  const giver = await personOf(sources(ctx), {
    workspace: job.workspace,
    id: job.giver.id,
    ...(job.giver.displayName ? { displayName: job.giver.displayName } : {}),
  })
  const receiver = await personOf(sources(ctx), { workspace: job.workspace, id: job.authorId })
  // Reaction events on Slack carry no thread: look it up so the note lands beside the message.
  const threadId = job.threadId ?? (await platform.threadOf(conversation, job.messageId).catch(() => undefined))
  const ref: MessageRef = { conversation, id: job.messageId, threadId: threadId ?? job.messageId }
  const link = await platform.permalink(ref).catch(() => undefined)
  const keyBase = `reaction:${job.conversation.id}:${job.messageId}:${giver.id}`
  const result = await service.give({
    workspace: job.workspace,
    giver,
    receivers: [receiver],
    reason: link ? `for [this message](${link})` : 'for a message',
    source: 'reaction',
    conversationId: job.conversation.id,
    keyBase,
  })
  const target = { conversation, ...(threadId ? { threadId } : {}) }
  if (result.kind === 'refused') {
    await platform.post(target, { text: result.text, visibleTo: giver.id })
    return
  }
  // Announce once, even when a retry finds the kudos already recorded by a run whose post failed.
  const key = `${keyBase}:${receiver.id}`
  if (!(await ctx.repo.claimAnnouncement(job.workspace, key, ctx.clock.now()))) return
  try {
    await platform.post(target, givenMessage(giver.displayName, result.kudos))
  } catch (err) {
    await ctx.repo.releaseAnnouncement(job.workspace, key)
    throw err
  }
}

/**
 * One post per opted-in channel per ISO week: the week is claimed before posting and given back
 * if the post fails, so a retry fills the gap and a second run that week posts nothing. A quiet
 * week stays quiet (claimed, nothing posted).
 */
export async function runWeeklyDigest(ctx: RecognitionContext, service: KudosService): Promise<void> {
  const now = ctx.clock.now()
  const week = isoWeek(now)
  const since = new Date(now.getTime() - WEEK_MS)
  let firstError: unknown
  for (const c of await ctx.repo.digestChannels()) {
    if (c.lastWeek === week) continue
    let platform
    try {
      platform = ctx.platforms.forWorkspace(c.workspace)
    } catch {
      continue // that platform is not connected in this process
    }
    if (!(await ctx.repo.claimDigestWeek(c.workspace, c.conversationId, week))) continue
    // Per channel: what this channel's audience could see (public kudos, and its own).
    const until = new Date(now.getTime() + 1)
    let summary: WeekSummary = await ctx.repo.weekSummary(c.workspace, since, until, 5, c.conversationId)
    // Linked into an organisation: the highlights rank people, their thanks from every platform added up.
    const orgTop = await ctx.org?.leaderboard({ workspace: c.workspace, since, until, limit: 5, shownIn: c.conversationId })
    summary = { ...summary, top: await service.withCurrentNames(c.workspace, orgTop ?? summary.top) }
    if (isEmptyWeek(summary)) continue
    try {
      await platform.post({ conversation: { workspace: c.workspace, id: c.conversationId } }, digestMessage(summary))
    } catch (err) {
      await ctx.repo.releaseDigestWeek(c.workspace, c.conversationId, week, c.lastWeek)
      ctx.log.warn({ err, conversation: c.conversationId }, 'kudos digest post failed; will retry')
      firstError ??= err
    }
  }
  if (firstError) throw firstError
}
