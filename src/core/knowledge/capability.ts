/**
 * The knowledge feature as the dispatcher sees it. Handlers only read the database and enqueue:
 * anything that calls the platform (fetching threads, posting confirmations) happens in jobs so
 * Slack's 3 s and Teams' 5 s acknowledgement windows are never at risk.
 */
import type { Capability, HelpEntry } from '../capability.ts'
import type { CommandInvoked, EventOf, MessageActionInvoked, ReactionAdded } from '../events.ts'
import { commandPrefix } from '../help.ts'
import type { ChatMessage, WorkspaceId } from '../model.ts'
import type { Outbound } from '../outbound.ts'
import { escapeMarkdown } from '../outbound.ts'
import type { Turn } from '../ports.ts'
import { decodeThreadId } from '../thread-id.ts'
import { truncate, TITLE_MAX } from './build-item.ts'
import type { KnowledgeContext } from './deps.ts'
import { captureKey, knowledgeCaptureJob, knowledgeRefreshJob, knowledgeSuggestJob, refreshPlan, type CaptureJob } from './job-defs.ts'
import { itemList, resultsMessage, titleLink, type Places } from './render.ts'
import { KnowledgeSearch } from './search.ts'
import { sanitizeText } from './search-query.ts'
import { handleButton } from './stale.ts'
import { looksLikeQuestion } from './suggestions.ts'
import { itemIdSchema } from './types.ts'

const HELP: HelpEntry[] = [
  { usage: '<words>', summary: 'search saved threads (every word, prefixes count: `depl` finds “deploy”)' },
  { usage: '<words> in:#channel from:@person tag:topic', summary: 'narrow the search to a channel, a contributor or a #tag' },
  { usage: '', summary: 'recent items and how to save one' },
  { usage: 'suggest on|off', summary: 'in this channel, privately suggest saved answers to new questions' },
  { usage: 'rename <item number> <new title>', summary: 'give a saved item a better title' },
]

export function knowledgeCapability(ctx: KnowledgeContext): Capability {
  const search = new KnowledgeSearch(ctx)

  async function enqueueCapture(job: CaptureJob): Promise<void> {
    await ctx.queue.enqueue(knowledgeCaptureJob, job, { dedupeKey: captureKey(job) })
  }

  async function enqueueRefresh(workspace: string, threadId: string): Promise<void> {
    const plan = refreshPlan(threadId, ctx.clock.now().getTime(), ctx.refreshDebounceMs)
    await ctx.queue.enqueue(knowledgeRefreshJob, { workspace, threadId }, plan)
  }

  async function onMessage(event: EventOf<'message.posted'> | EventOf<'message.edited'>): Promise<void> {
    const m = event.message
    // A thread is saved from its root's message, so one whose root is only being posted now cannot be
    // saved yet (a save after this, even before a replay of this delivery, reads the whole thread
    // itself): the read is left to replies and edits, and a plain message costs no query here.
    const fresh = event.type === 'message.posted' && isTopLevel(m)
    if (!fresh && (await ctx.repo.isSavedThread(event.workspace, m.threadId))) {
      await enqueueRefresh(event.workspace, m.threadId)
      return
    }
    if (event.type === 'message.posted' && isTopLevel(m) && !m.author.isBot) await maybeSuggest(event.workspace, m)
  }

  async function maybeSuggest(workspace: string, m: ChatMessage): Promise<void> {
    if (!looksLikeQuestion(m.text) || !(await ctx.repo.suggestEnabled(workspace, m.conversation.id))) return
    const data = {
      workspace,
      conversationId: m.conversation.id,
      threadId: m.threadId,
      messageId: m.id,
      personId: m.author.id,
      text: m.text.slice(0, 5000),
    }
    await ctx.queue.enqueue(knowledgeSuggestJob, data, { dedupeKey: `kb-suggest:${workspace}:${m.conversation.id}:${m.id}` })
  }

  async function onReaction(event: ReactionAdded): Promise<void> {
    if (event.reaction !== ctx.reaction) return
    await enqueueCapture({
      workspace: event.workspace,
      conversation: conversationOf(event.conversation),
      messageId: event.messageId,
      ...(event.threadId ? { threadId: event.threadId } : {}),
      saver: person(event.person),
      via: 'reaction',
      requestedAt: event.at.getTime(),
    })
  }

  async function onSaveAction(event: MessageActionInvoked, turn: Turn): Promise<void> {
    await enqueueCapture({
      workspace: event.workspace,
      conversation: conversationOf(event.message.conversation),
      messageId: event.message.id,
      threadId: event.message.threadId,
      saver: person(event.person),
      via: 'action',
      requestedAt: event.at.getTime(),
      acted: actedOf(event.message),
    })
    // Saved before: the thread's one confirmation was posted then, so promising another would be a lie.
    const saved = await ctx.repo.getByThread(event.workspace, event.message.threadId)
    if (saved?.status === 'active') {
      const p = commandPrefix(event.platform)
      return turn.reply({
        text: `This thread is already in the knowledge base: ${titleLink(saved)}. It stays up to date as the thread changes; \`${p}kb\` finds it.`,
        visibleTo: event.person.id,
      })
    }
    await turn.reply({ text: 'Saving this thread… I’ll confirm in the thread when it’s in the knowledge base.', visibleTo: event.person.id })
  }

  async function kb(event: CommandInvoked, turn: Turn): Promise<void> {
    const text = event.text.trim()
    const [word = '', ...rest] = text.split(/\s+/)
    const sub = word.toLowerCase()
    if (text === '') return turn.reply(await overview(event))
    if (sub === 'suggest' && rest.length <= 1) return turn.reply(await suggest(event, rest[0]?.toLowerCase()))
    if (sub === 'rename' && rest.length >= 2 && itemIdSchema.safeParse(rest[0]).success) return turn.reply(await rename(event, rest))
    const found = await search.search(event.workspace, event.person.id, text)
    if (found.parsed.empty) return turn.reply({ text: 'Type some words to search for, e.g. `/kb deploy checklist`.', visibleTo: event.person.id })
    const places = await placesOf(found.workspaces)
    await turn.reply(
      resultsMessage(found.query, found.hits, { broadened: found.broadened, personId: event.person.id, ...(places ? { places } : {}) }),
    )
    await search.recordViews(found) // after the reply: the person does not wait for this write
  }

  /** Where each workspace's items live, only when results may come from more than one. */
  async function placesOf(workspaces: WorkspaceId[]): Promise<Places | undefined> {
    if (workspaces.length < 2 || !ctx.placeOf) return undefined
    const placeOf = ctx.placeOf
    return new Map(await Promise.all(workspaces.map(async (w) => [w, await placeOf(w)] as const)))
  }

  async function overview(event: CommandInvoked): Promise<Outbound> {
    const p = commandPrefix(event.platform)
    const recent = await search.recent(event.workspace, event.person.id, 5)
    const places = await placesOf([...new Set([event.workspace, ...recent.map((i) => i.workspace)])])
    const how =
      event.platform === 'teams'
        ? 'Save a thread with **⋯ → More actions → Save to knowledge** on any of its messages.'
        : `Save a thread by reacting with :${ctx.reaction}: to any of its messages, or with **⋯ → Save to knowledge**.`
    const text = [
      `**Knowledge** — search what your team already answered: \`${p}kb <words>\`, with \`in:#channel\`, \`from:@person\`, \`tag:topic\`.`,
      how,
      '',
      '**Recent items**',
      itemList(recent, 'Nothing saved yet.', places),
    ].join('\n')
    return { text, card: { title: 'Knowledge', blocks: [{ type: 'text', text }] }, visibleTo: event.person.id }
  }

  async function suggest(event: CommandInvoked, arg: string | undefined): Promise<Outbound> {
    const p = commandPrefix(event.platform)
    const channel = event.conversation.name ? `#${escapeMarkdown(event.conversation.name)}` : 'this conversation'
    if (arg !== 'on' && arg !== 'off') {
      const on = await ctx.repo.suggestEnabled(event.workspace, event.conversation.id)
      return {
        text: `Answer suggestions are **${on ? 'on' : 'off'}** in ${channel}. Use \`${p}kb suggest on\` or \`${p}kb suggest off\`.`,
        visibleTo: event.person.id,
      }
    }
    await ctx.repo.setSuggest(event.workspace, event.conversation.id, arg === 'on', event.person.id, ctx.clock.now())
    return arg === 'on'
      ? {
          text: `Answer suggestions are on in ${channel}: when someone asks a question that a saved thread answers, I’ll point them to it privately.`,
        }
      : { text: `Answer suggestions are off in ${channel}.` }
  }

  async function rename(event: CommandInvoked, rest: string[]): Promise<Outbound> {
    const id = itemIdSchema.parse(rest[0])
    const title = truncate(sanitizeText(rest.slice(1).join(' ')).replace(/\s+/g, ' ').trim(), TITLE_MAX)
    const item = await ctx.repo.get(event.workspace, id)
    const visible = item && (await ctx.access.canSee(event.workspace, event.person.id, item))
    if (!item || !visible) return { text: `I can’t find knowledge item ${id}.`, visibleTo: event.person.id }
    const involved = item.savers.some((s) => s.personId === event.person.id) || item.contributors.some((c) => c.personId === event.person.id)
    if (!involved) return { text: `Only the people who saved or wrote ${titleLink(item)} can rename it.`, visibleTo: event.person.id }
    await ctx.repo.rename(event.workspace, id, title, ctx.clock.now())
    return { text: `Renamed item ${id} to ${titleLink({ ...item, title })}.`, visibleTo: event.person.id }
  }

  return {
    name: 'knowledge',
    prefix: 'kb',
    commands: { kb: { summary: 'search saved threads, or see recent ones', help: HELP, run: kb } },
    messageActions: { save_to_knowledge: onSaveAction },
    onButton: (event, turn) => handleButton(ctx, event, turn),
    on: {
      'reaction.added': onReaction,
      'message.posted': onMessage,
      'message.edited': onMessage,
      'conversation.privacy-changed': async (event) => {
        const c = event.conversation
        const known = await ctx.conversations.get(event.workspace, c.id)
        await ctx.conversations.upsert({ workspace: event.workspace, id: c.id, name: c.name ?? known?.name ?? c.id, privacy: c.privacy })
        // Made private: every item from it is members-only from now on. Made public: items saved
        // while it was private stay members-only (their savers were promised that); new saves are public.
        if (c.privacy === 'private') {
          const n = await ctx.repo.restrictConversation(event.workspace, c.id)
          ctx.access.forgetConversation(event.workspace, c.id)
          ctx.log.info({ conversationId: c.id, items: n }, 'conversation made private; its knowledge is now members-only')
        }
      },
      'message.deleted': async (event) => {
        if (!(await ctx.repo.isSavedThread(event.workspace, event.threadId))) return
        if (isRootOf(event.threadId, event.messageId)) {
          // Deleting the root retires the item at once; one indexed update, no platform call.
          await ctx.repo.archiveThread(event.workspace, event.threadId, ctx.clock.now())
          return
        }
        await enqueueRefresh(event.workspace, event.threadId)
      },
    },
  }
}

function isTopLevel(m: ChatMessage): boolean {
  return isRootOf(m.threadId, m.id)
}

function isRootOf(threadId: string, messageId: string): boolean {
  try {
    return decodeThreadId(threadId).rootId === messageId
  } catch {
    return false
  }
}

function conversationOf(c: { id: string; name?: string; privacy?: 'public' | 'private' | 'direct' }): CaptureJob['conversation'] {
  return { id: c.id, ...(c.name ? { name: c.name } : {}), ...(c.privacy ? { privacy: c.privacy } : {}) }
}

function actedOf(m: ChatMessage): NonNullable<CaptureJob['acted']> {
  const files = (m.attachments ?? []).slice(0, 20).map((a) => ({ name: a.name.slice(0, 500), url: a.url.slice(0, 2_000) }))
  return {
    id: m.id,
    authorId: m.author.id,
    ...(m.author.displayName ? { authorName: m.author.displayName.slice(0, 500) } : {}),
    ...(m.author.isBot !== undefined ? { isBot: m.author.isBot } : {}),
    text: m.text.slice(0, 40_000),
    at: m.at.getTime(),
    ...(m.permalink && m.permalink.length <= 2_000 ? { permalink: m.permalink } : {}),
    ...(files.length ? { attachments: files } : {}),
  }
}

function person(p: { id: string; displayName?: string }): CaptureJob['saver'] {
  return { id: p.id, ...(p.displayName ? { displayName: p.displayName } : {}) }
}
