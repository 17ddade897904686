/**
 * Buttons (task:done, task:snooze, task:undo, task:edit, task:kudos, task:open) and form
 * submissions (task:create, task:edit). Button values and form values are untrusted input.
 */
import { z } from 'zod'
import { isBeaconError } from '../errors.ts'
import type { ButtonClicked, FormSubmitted } from '../events.ts'
import type { Outbound } from '../outbound.ts'
import type { Turn } from '../ports.ts'
import type { TasksContext } from './deps.ts'
import { CREATE_FORM, createContextSchema, dueInput, EDIT_FORM, editContextSchema, editForm, formValuesSchema, parseContext } from './forms.ts'
import { COMMAND_TEXT_MAX, parseCommandText, parseFormValues, type ParseContext } from './parse-task-text.ts'
import { peopleLookup, personOf } from '../people/resolve.ts'
import { createdReply, dueText, names, ref, statusLine, title } from './render-task.ts'
import { shortId } from './task-ref.ts'
import { involves, type TaskService } from './task-service.ts'
import type { TaskChanges } from './types.ts'

export async function handleButton(ctx: TasksContext, service: TaskService, event: ButtonClicked, turn: Turn): Promise<void> {
  const action = event.actionId.slice('task:'.length)
  if (action === 'open') return // a link button: the platform opened the URL
  if (action === 'undated') return createUndated(ctx, service, event, turn)
  const me = event.person.id
  const task = await service.find(event.workspace, event.value, me)
  const viewer = await personOf(ctx, event.person)
  const view = { zone: viewer.timezone, now: ctx.clock.now() }
  switch (action) {
    case 'done': {
      const t = await service.complete(task, me)
      return respond(turn, me, `${statusLine(t, view)} Thanks!`)
    }
    case 'snooze': {
      const t = await service.snooze(task, me)
      return respond(turn, me, `😴 Snoozed ${ref(t)} ${title(t)} to ${dueText(t, view, true)}.`)
    }
    case 'undo': {
      const t = await service.cancel(task, me, 'undo')
      return respond(turn, me, `Undone — ${ref(t)} ${title(t)} won’t be tracked, and no one will be reminded.`)
    }
    case 'edit': {
      if (ctx.platforms.forWorkspace(event.workspace).caps.modals && turn.openForm) return turn.openForm(editForm(task, viewer.timezone))
      return void (await turn.reply({
        text: `Change it with \`/task edit ${shortId(task)} <new title, @people or when>\`, e.g. \`/task edit ${shortId(task)} tomorrow 5pm\`.`,
        visibleTo: me,
      }))
    }
    case 'kudos': {
      if (!ctx.recognition) return void (await turn.reply({ text: 'Kudos arrive with the recognition feature.', visibleTo: me }))
      if (task.creatorId !== me || task.status !== 'done') {
        return void (await turn.reply({ text: `Only ${task.creatorName} can thank people for **${shortId(task)}**, once it’s done.`, visibleTo: me }))
      }
      const to = task.assignees.filter((a) => a.personId !== me)
      // One thank-you per task, even if the button is clicked twice.
      if (!(await ctx.repo.claimNotification(task.id, 'kudos-sent', ctx.clock.now()))) {
        return respond(turn, me, `You already thanked ${names(task)} for ${ref(task)}.`)
      }
      try {
        await ctx.recognition.giveKudos({
          workspace: task.workspace,
          fromId: me,
          toIds: to.map((a) => a.personId),
          reason: `for finishing ${shortId(task)}: ${task.title}`,
          taskId: task.id,
        })
      } catch (err) {
        await ctx.repo.releaseNotification(task.id, 'kudos-sent')
        throw err
      }
      return respond(turn, me, `🎉 Kudos sent to ${to.map((a) => a.displayName).join(', ')} for ${ref(task)}.`)
    }
    default:
      ctx.log.warn({ actionId: event.actionId }, 'unknown task button')
  }
}

/** The button value is the command text to create (untrusted: anyone could send any value). */
const undatedValue = z.string().trim().min(1).max(COMMAND_TEXT_MAX)

/**
 * "Create without a date" under a `/task` whose date could not be read: the same command, with the
 * unreadable words already taken out and no word read as a date, created for whoever clicks.
 */
async function createUndated(ctx: TasksContext, service: TaskService, event: ButtonClicked, turn: Turn): Promise<void> {
  const me = event.person.id
  const text = undatedValue.safeParse(event.value)
  if (!text.success)
    return void (await turn.reply({ text: 'I couldn’t read that button. Send the `/task` command again, without the date.', visibleTo: me }))
  const creator = await personOf(ctx, event.person)
  const pctx: ParseContext = { creator, now: ctx.clock.now(), lookup: peopleLookup(ctx, event.workspace) }
  const parsed = await parseCommandText(text.data, pctx, { withoutDate: true })
  if (!parsed.ok) return void (await turn.reply({ text: parsed.message, visibleTo: me }))
  const conversationId = event.conversation?.id ?? event.source?.conversation.id
  const t = await service.create({ workspace: event.workspace, creator, draft: parsed.draft, ...(conversationId ? { conversationId } : {}) })
  // Replacing the offer takes its button away, so a second look does not create a second task.
  const reply = createdReply(t, { zone: creator.timezone, now: pctx.now }, { personId: me })
  if (turn.replaceSource) await turn.replaceSource(reply)
  else await turn.reply(reply)
}

/** Replace the card the button was on (DM, ephemeral reply) where possible; else answer privately. */
async function respond(turn: Turn, personId: string, text: string): Promise<void> {
  const m: Outbound = { text }
  if (turn.replaceSource) await turn.replaceSource(m)
  else await turn.reply({ ...m, visibleTo: personId })
}

export async function handleForm(ctx: TasksContext, service: TaskService, event: FormSubmitted, turn: Turn): Promise<void> {
  const values = formValuesSchema.safeParse(event.values)
  if (!values.success) return reject(turn, event.person.id, { title: 'Something in the form was too long. Shorten it and try again.' })
  const person = await personOf(ctx, event.person)
  const pctx: ParseContext = { creator: person, now: ctx.clock.now(), lookup: peopleLookup(ctx, event.workspace) }
  const parsed = await parseFormValues(values.data, pctx)
  if (!parsed.ok) return reject(turn, person.id, { [parsed.field]: parsed.message })
  const draft = parsed.draft
  const view = { zone: person.timezone, now: pctx.now }

  if (event.formId === CREATE_FORM) {
    const src = parseContext(createContextSchema, event.context)
    const t = await service.create({
      workspace: event.workspace,
      creator: person,
      draft,
      originKey: event.eventId,
      ...(src
        ? {
            conversationId: src.conversationId,
            source: {
              conversationId: src.conversationId,
              messageId: src.messageId,
              threadId: src.threadId,
              ...(src.permalink ? { permalink: src.permalink } : {}),
            },
          }
        : {}),
    })
    return turn.reply(createdReply(t, view, { personId: person.id, dueSaid: draft.due?.said }))
  }

  if (event.formId === EDIT_FORM) {
    const c = parseContext(editContextSchema, event.context)
    const task = c && (await ctx.repo.get(event.workspace, c.taskId))
    // A stranger's forged form learns what a deleted task's would: nothing.
    if (!task || !involves(task, person.id)) return reject(turn, person.id, { title: 'That task no longer exists.' })
    const raw = values.data
    const unchangedDue = task.dueAt && raw.due.trim() === dueInput(task.dueAt, person.timezone)
    const changes: TaskChanges = {
      title: draft.title,
      // An emptied assignee field keeps the assignees rather than silently taking the task over.
      ...(raw.assignees.trim() ? { assignees: draft.assignees.map((p) => ({ personId: p.id, displayName: p.displayName })) } : {}),
      ...(unchangedDue ? {} : draft.due ? { dueAt: draft.due.at, dueDateOnly: draft.due.dateOnly } : { dueAt: null, dueDateOnly: false }),
    }
    try {
      const t = await service.edit(task, person.id, changes)
      return turn.reply(createdReply(t, view, { personId: person.id, heading: 'Updated', dueSaid: draft.due?.said }))
    } catch (err) {
      if (isBeaconError(err) && err.userMessage) return reject(turn, person.id, { title: err.userMessage })
      throw err
    }
  }
  ctx.log.warn({ formId: event.formId }, 'unknown task form')
}

async function reject(turn: Turn, personId: string, errors: Record<string, string>): Promise<void> {
  if (turn.rejectForm) await turn.rejectForm(errors)
  else await turn.reply({ text: Object.values(errors).join('\n'), visibleTo: personId })
}
