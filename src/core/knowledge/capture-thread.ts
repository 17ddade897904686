/**
 * Saving a thread and keeping it current. Both run inside jobs: they call the platform (fetch the
 * whole thread, names, permalink) and may take seconds.
 *
 * Exactly-once rests on the storage, not on timing: the item is an upsert on (workspace, thread),
 * savers are a set, and the confirmation is claimed with a conditional update, so two savers or two
 * racing jobs converge on one item and one "Saved to knowledge" message.
 */
import { PermanentJobError, UndeliverableError, isBeaconError } from '../errors.ts'
import type { ChatMessage, Privacy, WorkspaceId } from '../model.ts'
import type { ChatPlatform } from '../ports.ts'
import { threadWorkspace, type ThreadId } from '../thread-id.ts'
import { buildItemContent } from './build-item.ts'
import type { KnowledgeContext } from './deps.ts'
import type { CaptureJob, RefreshJob } from './job-defs.ts'
import { confirmationMessage, titleLink } from './render.ts'
import type { KnowledgeItem } from './types.ts'

export async function captureThread(ctx: KnowledgeContext, job: CaptureJob): Promise<KnowledgeItem> {
  const platform = ctx.platforms.forWorkspace(job.workspace)
  const convRef = { workspace: job.workspace, id: job.conversation.id }
  const threadId = job.threadId ?? (await platform.threadOf(convRef, job.messageId))
  checkWorkspace(job.workspace, threadId)
  const saver = { personId: job.saver.id, via: job.via }

  // Another capture (a second saver, a racing retry) already fetched the thread after this request
  // was made: record this saver and skip the platform round trip.
  const existing = await ctx.repo.getByThread(job.workspace, threadId)
  if (existing && existing.status === 'active' && existing.syncedAt.getTime() >= job.requestedAt) {
    await ctx.repo.addSaver(existing.id, saver, ctx.clock.now())
    const item = (await ctx.repo.get(job.workspace, existing.id)) ?? existing
    await confirmOnce(ctx, platform, item, job.saver.id)
    return item
  }

  const fetched = await fetchOrFallBack(ctx, platform, job, threadId)
  if (fetched.kind === 'keep') {
    // The platform refused, and the thread is already saved whole: keep it rather than shrink it.
    await ctx.repo.addSaver(fetched.item.id, saver, ctx.clock.now())
    await confirmOnce(ctx, platform, fetched.item, job.saver.id)
    return fetched.item
  }
  const messages = fetched.messages
  if (messages.length === 0) throw new PermanentJobError(`thread ${threadId} has no messages (deleted?)`)
  const conversation = await conversationInfo(ctx, platform, job.workspace, job.conversation, messages[0]!)
  const content = buildItemContent({
    workspace: job.workspace,
    threadId,
    conversation,
    messages: withoutConfirmation(messages, existing),
    people: await resolvePeople(ctx, platform, job.workspace, messages),
    ...(await permalinkOf(ctx, platform, messages[0]!, conversation)),
  })
  // An explicit save brings an archived item back.
  const item = await ctx.repo.upsert(content, { now: ctx.clock.now(), saver, reactivate: true })
  ctx.log.info({ itemId: item.id, threadId, messages: messages.length, onlyTheMessage: fetched.kind === 'message' }, 'thread saved to knowledge')
  await confirmOnce(ctx, platform, item, job.saver.id)
  if (fetched.kind === 'message') {
    // Never silent: the saver learns that only their message is in, and what would bring the rest.
    await platform.post(
      { conversation: { workspace: job.workspace, id: job.conversation.id }, threadId },
      {
        text: `Only the message you picked was saved to knowledge (${titleLink(item)}), not the whole thread. ${fetched.why}`,
        visibleTo: job.saver.id,
      },
    )
  }
  return item
}

/** Platform refusals after which the message the action carried is still worth saving on its own. */
const SAVE_THE_MESSAGE_ON = new Set(['forbidden', 'not_found', 'not_supported'])

type Fetched =
  | { kind: 'thread'; messages: ChatMessage[] }
  | { kind: 'message'; messages: ChatMessage[]; why: string }
  | { kind: 'keep'; item: KnowledgeItem }

async function fetchOrFallBack(ctx: KnowledgeContext, platform: ChatPlatform, job: CaptureJob, threadId: ThreadId): Promise<Fetched> {
  try {
    return { kind: 'thread', messages: await fetchThread(platform, threadId) }
  } catch (err) {
    if (!job.acted || !isBeaconError(err) || !SAVE_THE_MESSAGE_ON.has(err.code)) throw err
    ctx.log.warn({ err, threadId }, 'the platform refused the whole thread; saving the message the action carried')
    const existing = await ctx.repo.getByThread(job.workspace, threadId)
    if (existing?.status === 'active' && existing.messageCount > 1) return { kind: 'keep', item: existing }
    const a = job.acted
    const message: ChatMessage = {
      id: a.id,
      threadId,
      conversation: { workspace: job.workspace, id: job.conversation.id },
      author: {
        workspace: job.workspace,
        id: a.authorId,
        ...(a.authorName ? { displayName: a.authorName } : {}),
        ...(a.isBot !== undefined ? { isBot: a.isBot } : {}),
      },
      text: a.text,
      at: new Date(a.at),
      ...(a.attachments ? { attachments: a.attachments } : {}),
      ...(a.permalink ? { permalink: a.permalink } : {}),
    }
    return { kind: 'message', messages: [message], why: err.userMessage ?? 'Beacon couldn’t read the rest of the thread.' }
  }
}

export async function refreshThread(ctx: KnowledgeContext, job: RefreshJob): Promise<KnowledgeItem | undefined> {
  const existing = await ctx.repo.getByThread(job.workspace, job.threadId)
  if (existing?.status !== 'active') return undefined
  const platform = ctx.platforms.forWorkspace(job.workspace)
  let messages: ChatMessage[]
  try {
    messages = await fetchThread(platform, job.threadId)
  } catch (err) {
    // No permission to read it (any more): the saved copy stays as it is; retrying changes nothing.
    if (isBeaconError(err) && (err.code === 'forbidden' || err.code === 'not_supported')) {
      ctx.log.warn({ err, itemId: existing.id }, 'cannot read a saved thread to refresh it; keeping the saved copy')
      return existing
    }
    if (!(isBeaconError(err) && err.code === 'not_found')) throw err
    messages = []
  }
  // The saved root is gone (deleted): the item is archived, not deleted, so nothing saved is lost by
  // one click. (An item saved from one message is kept when the whole thread becomes readable.)
  if (messages.length === 0 || !messages.some((m) => m.id === existing.rootMessageId)) {
    await ctx.repo.archiveThread(job.workspace, job.threadId, ctx.clock.now())
    ctx.log.info({ itemId: existing.id }, 'thread root deleted; knowledge item archived')
    return undefined
  }
  const content = buildItemContent({
    workspace: job.workspace,
    threadId: job.threadId,
    conversation: existing.conversation,
    messages: withoutConfirmation(messages, existing),
    people: await resolvePeople(ctx, platform, job.workspace, messages),
    ...(existing.permalink ? { permalink: existing.permalink } : {}),
  })
  return ctx.repo.upsert(content, { now: ctx.clock.now(), reactivate: false })
}

/**
 * Post the thread's single confirmation; give the claim back when posting fails so a retry can.
 * When the platform will never deliver there (Beacon was removed from the channel), the claim is
 * kept and the saver hears it instead: the item is saved either way.
 */
async function confirmOnce(ctx: KnowledgeContext, platform: ChatPlatform, item: KnowledgeItem, saverId: string): Promise<void> {
  if (item.confirmedAt) return
  if (!(await ctx.repo.claimConfirmation(item.id, ctx.clock.now()))) return
  try {
    await ctx.events.publish('knowledge.item-saved', { item, contributors: item.contributors })
    const ref = await platform.post(
      { conversation: { workspace: item.workspace, id: item.conversation.id }, threadId: item.threadId },
      confirmationMessage(item, item.contributors),
    )
    await ctx.repo.setConfirmationMessage(item.id, ref.id)
  } catch (err) {
    if (err instanceof UndeliverableError && err.target === 'conversation') {
      ctx.log.warn({ err, itemId: item.id }, 'saved, but the confirmation cannot be posted in the thread; telling the saver')
      const why = err.userMessage ? ` ${err.userMessage}` : ''
      await platform.post(
        { dmTo: { workspace: item.workspace, id: saverId } },
        { text: `Saved to knowledge: ${titleLink(item)}. I couldn’t confirm it in the thread.${why}` },
      )
      return
    }
    await ctx.repo.releaseConfirmation(item.id)
    throw err
  }
}

function checkWorkspace(workspace: WorkspaceId, threadId: ThreadId): void {
  let owner: string
  try {
    owner = threadWorkspace(threadId)
  } catch (err) {
    throw new PermanentJobError(`bad thread id ${threadId}`, { cause: err })
  }
  if (owner !== workspace) throw new PermanentJobError(`thread ${threadId} is not in workspace ${workspace}`)
}

async function fetchThread(platform: ChatPlatform, threadId: ThreadId): Promise<ChatMessage[]> {
  const messages = await platform.fetchThread(threadId)
  // Platforms promise root first; sort the replies defensively so the body always reads in order.
  const [root, ...replies] = messages
  return root ? [root, ...replies.sort((a, b) => a.at.getTime() - b.at.getTime())] : []
}

function withoutConfirmation(messages: ChatMessage[], item: KnowledgeItem | undefined): ChatMessage[] {
  const own = item?.confirmationMessageId
  return own ? messages.filter((m, i) => i === 0 || m.id !== own) : messages
}

async function conversationInfo(
  ctx: KnowledgeContext,
  platform: ChatPlatform,
  workspace: WorkspaceId,
  given: CaptureJob['conversation'],
  root: ChatMessage,
): Promise<{ id: string; name: string; privacy: Privacy }> {
  // Privacy comes from the platform (cached there at most about a minute), not from Beacon's own
  // conversations row, which a conversion to private may have made stale; the stored row is only
  // the fallback when the platform cannot answer. The event's own hint can make it stricter.
  const current = await platform.getConversation(workspace, given.id).catch(() => undefined)
  const known = current ?? (await ctx.conversations.get(workspace, given.id))
  if (current) await ctx.conversations.upsert(current)
  const name = given.name ?? root.conversation.name ?? known?.name
  const privacy = stricter(stricter(given.privacy, root.conversation.privacy), known?.privacy)
  // Unknown privacy is treated as private: a wrong guess then hides an item instead of leaking it.
  return { id: given.id, name: name ?? given.id, privacy: privacy ?? 'private' }
}

const RANK: Record<Privacy, number> = { public: 0, private: 1, direct: 2 }

function stricter(a: Privacy | undefined, b: Privacy | undefined): Privacy | undefined {
  if (!a || !b) return a ?? b
  return RANK[a] >= RANK[b] ? a : b
}

async function resolvePeople(
  ctx: KnowledgeContext,
  platform: ChatPlatform,
  workspace: WorkspaceId,
  messages: ChatMessage[],
): Promise<Map<string, { displayName: string; isBot: boolean }>> {
  const out = new Map<string, { displayName: string; isBot: boolean }>()
  for (const m of messages) {
    const a = m.author
    if (out.has(a.id)) continue
    if (a.displayName) {
      out.set(a.id, { displayName: a.displayName, isBot: a.isBot ?? false })
      continue
    }
    let person = await ctx.people.get(workspace, a.id)
    if (!person) {
      person = await platform.getPerson(workspace, a.id).catch((err: unknown) => {
        ctx.log.warn({ err, personId: a.id }, 'could not look up a thread author; showing the id')
        return undefined
      })
      if (person) await ctx.people.upsert(person)
    }
    out.set(a.id, { displayName: person?.displayName ?? a.id, isBot: a.isBot ?? person?.isBot ?? false })
  }
  return out
}

async function permalinkOf(
  ctx: KnowledgeContext,
  platform: ChatPlatform,
  root: ChatMessage,
  conversation: { id: string },
): Promise<{ permalink?: string }> {
  if (root.permalink) return { permalink: root.permalink }
  try {
    const link = await platform.permalink({
      conversation: { workspace: root.conversation.workspace, id: conversation.id },
      id: root.id,
      threadId: root.threadId,
    })
    return link ? { permalink: link } : {}
  } catch (err) {
    ctx.log.warn({ err }, 'no permalink for a saved thread')
    return {}
  }
}
