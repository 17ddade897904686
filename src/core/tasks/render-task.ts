/**
 * Everything tasks say, as Outbound messages in Beacon's markdown subset. Pure: callers pass the
 * zone to show times in (the reader's) and the current time.
 */
import { escapeMarkdown, type CardBlock, type CardButton, type Outbound } from '../outbound.ts'
import { shortId } from './task-ref.ts'
import type { Task } from './types.ts'
import { formatInZone } from '../time/zoned-time.ts'

export interface View {
  /** The reader's IANA zone. */
  zone: string
  now: Date
}

export const title = (t: Task) => escapeMarkdown(t.title)
export const ref = (t: Task) => `**${shortId(t)}**`

export function names(t: Task): string {
  return t.assignees.map((a) => escapeMarkdown(a.displayName)).join(', ') || escapeMarkdown(t.creatorName)
}

export function dueText(t: Task, v: View, withZone = false): string {
  if (!t.dueAt) return 'no due date'
  const when = formatInZone(t.dueAt, v.zone, { now: v.now })
  const overdue = t.status === 'open' && t.dueAt.getTime() < v.now.getTime() ? ' (overdue)' : ''
  return `${when}${withZone ? ` (${v.zone})` : ''}${overdue}`
}

/** "T-3 Fix the build — Bob — due Fri 7 Mar, 17:00" with the source linked when there is one. */
export function line(t: Task, v: View): string {
  const src = t.source?.permalink ? ` · [source](${t.source.permalink})` : ''
  return `${ref(t)} ${title(t)} — ${names(t)} — ${t.dueAt ? `due ${dueText(t, v)}` : 'no due date'}${src}`
}

const button = (actionId: string, label: string, t: Task, style?: CardButton['style']): CardButton => ({
  actionId,
  label,
  value: String(t.number),
  ...(style ? { style } : {}),
})

function sourceButton(t: Task): CardButton[] {
  return t.source?.permalink ? [{ actionId: 'task:open', label: 'Open source', url: t.source.permalink, value: String(t.number) }] : []
}

/**
 * The creator's private "here is what I understood", with Edit and Undo. `dueSaid`: the words the
 * due date was read from, shown next to the date they became ("next friday" → Fri 11 Dec, 17:00).
 */
export function createdReply(
  t: Task,
  v: View,
  opts: { truncated?: boolean; personId: string; heading?: 'Created' | 'Updated'; dueSaid?: string },
): Outbound {
  const heading = opts.heading ?? 'Created'
  const said = t.dueAt && opts.dueSaid ? ` — from “${escapeMarkdown(opts.dueSaid)}”` : ''
  const fields = [
    { label: 'Task', value: `${ref(t)} ${title(t)}` },
    { label: t.assignees.length > 1 ? 'Assignees' : 'Assignee', value: names(t) },
    { label: 'Due', value: `${dueText(t, v, true)}${said}` },
  ]
  const notes: string[] = []
  if (opts.truncated) notes.push('The title was shortened to 200 characters; the full text stays in the source message.')
  if (t.dueAt) notes.push('Reminders go to the assignees before and at the due time.')
  const text = [
    `${heading} ${ref(t)}: ${title(t)}`,
    `Assigned to ${names(t)}, ${t.dueAt ? `due ${dueText(t, v, true)}${said}` : 'no due date'}.`,
    ...notes,
  ].join('\n')
  const blocks: CardBlock[] = [
    { type: 'fields', fields },
    ...notes.map((n): CardBlock => ({ type: 'context', text: n })),
    // Undo undoes the creation; after an edit it would cancel the whole task, so it is not offered.
    {
      type: 'actions',
      buttons: heading === 'Created' ? [button('task:edit', 'Edit', t), button('task:undo', 'Undo', t, 'danger')] : [button('task:edit', 'Edit', t)],
    },
  ]
  return { text, card: { title: `Task ${shortId(t)} ${heading.toLowerCase()}`, blocks }, visibleTo: opts.personId }
}

/**
 * A `/task` whose date could not be read: what was not understood, and the same task without the
 * date — a button where there are buttons, and the command to send where there are none.
 */
export function undatedOffer(message: string, undated: string, personId: string, commandPrefix: string): Outbound {
  // Slack sends mentions as <@U123|bob>; a command to retype reads better as @bob.
  const typed = undated.replace(/<@[A-Za-z0-9]+\|([^>]+)>/g, '@$1').replace(/`/g, "'")
  const hint = `To create it without a due date: \`${commandPrefix}task ${typed}\``
  return {
    text: `${message}\n${hint}`,
    card: {
      title: 'Due date not understood',
      blocks: [
        { type: 'text', text: message },
        { type: 'context', text: hint },
        { type: 'actions', buttons: [{ actionId: 'task:undated', label: 'Create without a date', value: undated, style: 'primary' }] },
      ],
    },
    visibleTo: personId,
  }
}

/** What an assignee gets in a DM when a task is given to them. */
export function assignedCard(t: Task, v: View): Outbound {
  const from = escapeMarkdown(t.creatorName)
  const text = `${from} assigned you ${ref(t)}: ${title(t)} — due ${dueText(t, v, true)}.`
  return {
    text,
    card: {
      title: `New task ${shortId(t)}`,
      blocks: [
        { type: 'text', text: `**${title(t)}**` },
        {
          type: 'fields',
          fields: [
            { label: 'From', value: from },
            { label: 'Due', value: dueText(t, v, true) },
          ],
        },
        { type: 'actions', buttons: [button('task:done', 'Done', t, 'primary'), button('task:snooze', 'Snooze a day', t), ...sourceButton(t)] },
      ],
    },
  }
}

export function reminderCard(t: Task, kind: 'lead' | 'due', v: View): Outbound {
  const head = kind === 'due' ? `⏰ ${ref(t)} is due now: ${title(t)}` : `⏰ Coming up: ${ref(t)} ${title(t)} is due ${dueText(t, v)}.`
  return {
    text: head,
    card: {
      title: kind === 'due' ? `${shortId(t)} is due` : `${shortId(t)} is due soon`,
      blocks: [
        { type: 'text', text: head },
        { type: 'actions', buttons: [button('task:done', 'Done', t, 'primary'), button('task:snooze', 'Snooze a day', t), ...sourceButton(t)] },
      ],
    },
  }
}

/** The single short note in the thread a task was made from. */
export function threadConfirmation(t: Task, v: View): Outbound {
  // Read by people in many zones: the time carries its zone.
  return {
    text: `📌 ${escapeMarkdown(t.creatorName)} made this a task: ${ref(t)} ${title(t)} — ${names(t)}${t.dueAt ? `, due ${dueText(t, v, true)}` : ''}.`,
  }
}

export function threadCancelled(t: Task): Outbound {
  return { text: `📌 ${ref(t)} ${title(t)} — this task was cancelled.` }
}

export function threadDone(t: Task, byName: string): Outbound {
  return { text: `✅ ${ref(t)} ${title(t)} is done — marked by ${escapeMarkdown(byName)}.` }
}

/**
 * The creator learns it is done and, where recognition exists, is offered to thank the people who
 * did the work: the assignees other than the creator, named, whoever clicked "done".
 */
export function doneForCreator(t: Task, byName: string, offerKudos: boolean): Outbound {
  const byCreator = t.closedBy === t.creatorId
  const workers = t.assignees
    .filter((a) => a.personId !== t.creatorId)
    .map((a) => escapeMarkdown(a.displayName))
    .join(', ')
  const done = byCreator ? `✅ You marked ${ref(t)} ${title(t)} done.` : `✅ ${escapeMarkdown(byName)} marked ${ref(t)} ${title(t)} done.`
  const text = offerKudos && workers ? `${done} Want to thank ${workers}?` : done
  if (!offerKudos || !workers) return { text }
  return {
    text,
    card: {
      blocks: [
        { type: 'text', text },
        { type: 'actions', buttons: [button('task:kudos', `Send kudos to ${workers}`, t, 'primary')] },
      ],
    },
  }
}

/** An assignee learns that someone else marked their task done, so they stop working on it. */
export function doneForAssignee(t: Task, byName: string): Outbound {
  return { text: `✅ ${escapeMarkdown(byName)} marked ${ref(t)} ${title(t)} done. Nothing more to do there.` }
}

export function cancelledForAssignee(t: Task, byName: string): Outbound {
  return { text: `${escapeMarkdown(byName)} cancelled ${ref(t)} ${title(t)}. Nothing more to do there.` }
}

export function digestCard(list: Task[], v: View): Outbound {
  const lines = list.map((t) => `- ${line(t, v)}`)
  const text = [`Good morning! You have ${list.length === 1 ? 'one overdue task' : `${list.length} overdue tasks`}:`, ...lines].join('\n')
  const buttons = list.slice(0, 5).map((t) => button('task:done', `Done ${shortId(t)}`, t))
  return {
    text,
    card: {
      title: 'Overdue tasks',
      blocks: [
        { type: 'text', text },
        { type: 'actions', buttons },
      ],
    },
  }
}

export function listReply(heading: string, list: Task[], total: number, v: View, empty: string, personId: string): Outbound {
  const more = total > list.length ? `\n_…and ${total - list.length} more._` : ''
  const body = list.length ? `${list.map((t) => `- ${line(t, v)}`).join('\n')}${more}` : empty
  // The heading is the card's title; the plain text (notifications, fallbacks) carries it itself.
  return {
    text: list.length ? `**${heading}**\n${body}` : empty,
    card: { title: heading, blocks: [{ type: 'text', text: body }] },
    visibleTo: personId,
  }
}

/** A task's card after a button changed it (replaces the DM card the button was on). */
export function statusLine(t: Task, v: View): string {
  if (t.status === 'done') return `✅ ${ref(t)} ${title(t)} — done.`
  if (t.status === 'cancelled') return `${ref(t)} ${title(t)} — cancelled.`
  return `${ref(t)} ${title(t)} — due ${dueText(t, v)}.`
}

export function homeBlocks(list: Task[], total: number, v: View): CardBlock[] {
  const blocks: CardBlock[] = [{ type: 'text', text: '**Your open tasks**' }]
  if (list.length === 0) {
    blocks.push({ type: 'text', text: 'Nothing assigned to you. Create one with `/task @someone what to do by fri`.' })
    return blocks
  }
  for (const t of list) {
    blocks.push({ type: 'text', text: line(t, v) })
    blocks.push({ type: 'actions', buttons: [button('task:done', 'Done', t, 'primary'), button('task:snooze', 'Snooze a day', t)] })
  }
  if (total > list.length) blocks.push({ type: 'context', text: `${total - list.length} more — see \`/task list\`.` })
  return blocks
}

/** The create-task action on a message that already has an open task: that task, not a second one. */
export function alreadyATask(t: Task, v: View, personId: string): Outbound {
  const due = t.dueAt ? `due ${dueText(t, v, true)}` : 'no due date'
  const text = `This message is already task ${ref(t)}: ${title(t)} — ${names(t)}, ${due}. Nothing new was created.`
  return {
    text,
    card: {
      title: `Already task ${shortId(t)}`,
      blocks: [
        { type: 'text', text },
        { type: 'actions', buttons: [button('task:edit', 'Edit', t), button('task:done', 'Done', t, 'primary'), ...sourceButton(t)] },
      ],
    },
    visibleTo: personId,
  }
}
