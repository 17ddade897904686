/**
 * Tasks as the dispatcher sees them: `/task …`, the "Create task" message action, buttons and
 * forms. Handlers only read and write the database and enqueue; DMs, thread notes and webhooks are
 * sent by jobs, so Slack's 3 s and Teams' 5 s acknowledgement windows are never at risk.
 */
import type { Capability, HelpEntry } from '../capability.ts'
import { BeaconError } from '../errors.ts'
import type { CommandInvoked, MessageActionInvoked } from '../events.ts'
import { commandPrefix } from '../help.ts'
import type { Person } from '../model.ts'
import type { Turn } from '../ports.ts'
import { escapeMarkdown } from '../outbound.ts'
import type { TasksContext } from './deps.ts'
import { createContextOf, createForm, dueInput } from './forms.ts'
import { handleButton, handleForm } from './interactions.ts'
import { parseCommandText, parseEditText, parseMessageText, type ParseContext } from './parse-task-text.ts'
import { peopleLookup, personOf } from '../people/resolve.ts'
import { alreadyATask, createdReply, dueText, line, listReply, ref, title, undatedOffer } from './render-task.ts'
import { isTaskRef } from './task-ref.ts'
import { openTaskFromMessage, TaskService } from './task-service.ts'
import type { TaskChanges, TaskQuery } from './types.ts'

const HELP: HelpEntry[] = [
  {
    usage: '<what to do> [@people] [when]',
    summary: 'create a task, e.g. `@ada update the deck by fri` (no one named: it’s yours; times are read in your timezone)',
  },
  { usage: 'list [mine|created|channel|overdue]', summary: 'open tasks assigned to you, created by you, from this channel, or overdue' },
  { usage: 'show <id>', summary: 'one task you created or are assigned to, e.g. `show T-42`' },
  { usage: 'done <id>', summary: 'mark a task done, e.g. `done T-42`' },
  { usage: 'edit <id> <new title, @people or when>', summary: 'change a task; `edit T-42 due none` removes the due date' },
  { usage: 'snooze <id>', summary: 'move the due time a day later' },
  { usage: 'cancel <id>', summary: 'cancel a task (its creator or assignees)' },
]

const LISTS = ['mine', 'created', 'channel', 'overdue'] as const
type ListKind = (typeof LISTS)[number]
const LIST_LIMIT = 20

export function tasksCapability(ctx: TasksContext): Capability {
  const service = new TaskService(ctx)

  async function parseContextFor(person: Person): Promise<ParseContext> {
    return { creator: person, now: ctx.clock.now(), lookup: peopleLookup(ctx, person.workspace) }
  }

  async function task(event: CommandInvoked, turn: Turn): Promise<void> {
    const text = event.text.trim()
    const [word = '', ...rest] = text.split(/\s+/)
    const sub = word.toLowerCase()
    if (!text) return turn.reply(usage(event))
    if (sub === 'list' && rest.length <= 1 && (rest.length === 0 || (LISTS as readonly string[]).includes(rest[0]!.toLowerCase()))) {
      return list(event, turn, (rest[0]?.toLowerCase() ?? 'mine') as ListKind)
    }
    if ((sub === 'done' || sub === 'cancel' || sub === 'snooze') && rest.length === 1 && isTaskRef(rest[0])) {
      return act(event, turn, sub, rest[0]!)
    }
    if (sub === 'show' && rest.length === 1 && isTaskRef(rest[0])) return show(event, turn, rest[0]!)
    if (sub === 'edit' && isTaskRef(rest[0])) return edit(event, turn, rest[0]!, text.replace(/^\S+\s+\S+\s*/, ''))
    return create(event, turn, text)
  }

  async function create(event: CommandInvoked, turn: Turn, text: string): Promise<void> {
    const creator = await personOf(ctx, event.person)
    const parsed = await parseCommandText(text, await parseContextFor(creator))
    // An unreadable date: nothing is created, and the same task without the date is offered.
    if (!parsed.ok && parsed.undated) return turn.reply(undatedOffer(parsed.message, parsed.undated, event.person.id, commandPrefix(event.platform)))
    if (!parsed.ok) throw refusal(parsed.message)
    const t = await service.create({
      workspace: event.workspace,
      creator,
      draft: parsed.draft,
      conversationId: event.conversation.id,
      originKey: event.eventId,
    })
    await turn.reply(
      createdReply(t, { zone: creator.timezone, now: ctx.clock.now() }, { personId: event.person.id, dueSaid: parsed.draft.due?.said }),
    )
  }

  async function list(event: CommandInvoked, turn: Turn, kind: ListKind): Promise<void> {
    const me = event.person.id
    const base = { workspace: event.workspace, status: 'open' as const, limit: LIST_LIMIT }
    const queries: Record<ListKind, { q: TaskQuery; heading: string; empty: string }> = {
      mine: { q: { ...base, assignee: me }, heading: 'Open tasks assigned to you', empty: 'Nothing assigned to you. 🎉' },
      created: { q: { ...base, creator: me }, heading: 'Open tasks you created', empty: 'You have no open tasks that you created.' },
      channel: {
        q: { ...base, conversationId: event.conversation.id },
        heading: 'Open tasks from this conversation',
        empty: 'No open tasks came from this conversation.',
      },
      overdue: { q: { ...base, involving: me, dueBefore: ctx.clock.now() }, heading: 'Overdue tasks you’re part of', empty: 'Nothing overdue. 🎉' },
    }
    const { q, heading, empty } = queries[kind]
    const found = await ctx.repo.list(q)
    const viewer = await personOf(ctx, event.person)
    await turn.reply(listReply(heading, found.tasks, found.total, { zone: viewer.timezone, now: ctx.clock.now() }, empty, me))
  }

  async function show(event: CommandInvoked, turn: Turn, id: string): Promise<void> {
    const t = await service.find(event.workspace, id, event.person.id)
    const viewer = await personOf(ctx, event.person)
    const v = { zone: viewer.timezone, now: ctx.clock.now() }
    const status = t.status === 'open' ? '' : ` (${t.status})`
    await turn.reply({ text: `${line(t, v)}${status}`, visibleTo: event.person.id })
  }

  async function act(event: CommandInvoked, turn: Turn, what: 'done' | 'cancel' | 'snooze', id: string): Promise<void> {
    const t = await service.find(event.workspace, id, event.person.id)
    const me = event.person.id
    if (what === 'done') {
      const done = await service.complete(t, me)
      // Closing someone else's task: they did the work, and they are the ones who hear about it.
      const others = done.assignees.filter((a) => a.personId !== me)
      const note =
        done.assignees.some((a) => a.personId === me) || others.length === 0
          ? 'Nice work!'
          : `I’ll let ${others.map((a) => escapeMarkdown(a.displayName)).join(', ')} know.`
      return turn.reply({ text: `✅ ${ref(done)} ${title(done)} is done. ${note}`, visibleTo: me })
    }
    if (what === 'cancel') {
      const c = await service.cancel(t, me)
      return turn.reply({ text: `Cancelled ${ref(c)} ${title(c)}. Its reminders are off.`, visibleTo: me })
    }
    const s = await service.snooze(t, me)
    const viewer = await personOf(ctx, event.person)
    await turn.reply({ text: `Snoozed ${ref(s)} to ${dueText(s, { zone: viewer.timezone, now: ctx.clock.now() }, true)}.`, visibleTo: me })
  }

  async function edit(event: CommandInvoked, turn: Turn, id: string, text: string): Promise<void> {
    const t = await service.find(event.workspace, id, event.person.id)
    const editor = await personOf(ctx, event.person)
    const parsed = await parseEditText(text, await parseContextFor(editor))
    if (!parsed.ok) throw refusal(parsed.message)
    const c = parsed.changes
    const changes: TaskChanges = {
      ...(c.title ? { title: c.title } : {}),
      ...(c.assignees ? { assignees: c.assignees.map((p) => ({ personId: p.id, displayName: p.displayName })) } : {}),
      ...(c.due === null ? { dueAt: null, dueDateOnly: false } : c.due ? { dueAt: c.due.at, dueDateOnly: c.due.dateOnly } : {}),
    }
    const updated = await service.edit(t, event.person.id, changes)
    await turn.reply(
      createdReply(updated, { zone: editor.timezone, now: ctx.clock.now() }, { personId: event.person.id, heading: 'Updated', dueSaid: c.due?.said }),
    )
  }

  async function onCreateAction(event: MessageActionInvoked, turn: Turn): Promise<void> {
    const creator = await personOf(ctx, event.person)
    const existing = await openTaskFromMessage(ctx, event.workspace, event.message)
    if (existing) return turn.reply(alreadyATask(existing, { zone: creator.timezone, now: ctx.clock.now() }, event.person.id))
    const parsed = await parseMessageText(event.message.text, await parseContextFor(creator))
    const platform = ctx.platforms.forWorkspace(event.workspace)
    if (platform.caps.modals && turn.openForm) {
      // Prefilled from the message; the person confirms or fixes it, and the submission is validated.
      const d = parsed.ok ? parsed.draft : undefined
      const onlyMe = !d || (d.assignees.length === 1 && d.assignees[0]!.id === creator.id)
      await turn.openForm(
        createForm(
          {
            title: d?.title ?? '',
            assignees: onlyMe ? '' : d.assignees.map((p) => `@${p.displayName}`).join(', '),
            due: d?.due ? dueInput(d.due.at, creator.timezone) : '',
          },
          createContextOf(event.message),
        ),
      )
      return
    }
    // No forms here (the shell): create straight from the message, and say what was understood.
    if (!parsed.ok) throw refusal(parsed.message)
    const m = event.message
    const t = await service.create({
      workspace: event.workspace,
      creator,
      draft: parsed.draft,
      conversationId: m.conversation.id,
      originKey: event.eventId,
      source: { conversationId: m.conversation.id, messageId: m.id, threadId: m.threadId, ...(m.permalink ? { permalink: m.permalink } : {}) },
    })
    await turn.reply(
      createdReply(
        t,
        { zone: creator.timezone, now: ctx.clock.now() },
        { personId: event.person.id, truncated: parsed.draft.truncated, dueSaid: parsed.draft.due?.said },
      ),
    )
  }

  return {
    name: 'tasks',
    prefix: 'task',
    commands: { task: { summary: 'turn a sentence into an assigned task with a due date and reminders', help: HELP, run: task } },
    messageActions: { create_task: onCreateAction },
    onButton: (event, turn) => handleButton(ctx, service, event, turn),
    onForm: (event, turn) => handleForm(ctx, service, event, turn),
  }
}

/** Bad input: the dispatcher shows `userMessage` privately and nothing was changed. */
function refusal(message: string): BeaconError {
  return new BeaconError('bad_input', message, { userMessage: message })
}

function usage(event: CommandInvoked) {
  const p = commandPrefix(event.platform)
  const text = [
    `**Tasks** — \`${p}task @someone what to do by fri\` creates one; no one named means it’s yours.`,
    ...HELP.slice(1).map((h) => `- \`${p}task ${h.usage}\` ${h.summary}`),
    event.platform === 'teams'
      ? 'On any message: **⋯ → More actions → Create task**.'
      : event.platform === 'slack'
        ? 'On any message: **⋯ → More message shortcuts → Create task**.'
        : 'On any message: `/totask <#id>`.',
  ].join('\n')
  return { text, visibleTo: event.person.id }
}
