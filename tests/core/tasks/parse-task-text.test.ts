import { describe, expect, it } from 'vitest'
import type { Person } from '../../../src/core/model.ts'
import type { PeopleLookup } from '../../../src/core/tasks/mentions.ts'
import { resolveMentions } from '../../../src/core/tasks/mentions.ts'
import {
  parseCommandText,
  parseEditText,
  parseFormValues,
  parseMessageText,
  TITLE_MAX,
  type ParseContext,
  type ParseOutcome,
} from '../../../src/core/tasks/parse-task-text.ts'
import { DAVE, PEOPLE } from './support.ts'

const NOW = new Date('2025-03-05T10:00:00Z')
const alice = PEOPLE[0]!
const lookup: PeopleLookup = {
  byName: async (name) => PEOPLE.find((p) => p.displayName.toLowerCase() === name.toLowerCase()),
  // The platform knows every id, including people never seen before (Dave).
  byId: async (id) => [...PEOPLE, DAVE].find((p) => p.id === id),
}
const ctx = (creator: Person = alice): ParseContext => ({ creator, now: NOW, lookup })

function ok(o: ParseOutcome) {
  if (!o.ok) throw new Error(`expected success, got: ${o.message}`)
  return o.draft
}

describe('/task text', () => {
  it('a plain sentence is the creator’s own task with no due date', async () => {
    const d = ok(await parseCommandText('update the onboarding doc', ctx()))
    expect(d).toMatchObject({ title: 'update the onboarding doc', truncated: false })
    expect(d.assignees.map((p) => p.id)).toEqual(['U_ALICE'])
    expect(d.due).toBeUndefined()
  })

  it('mentions become assignees and leave the title; the date leaves it too', async () => {
    const d = ok(await parseCommandText('@Bob @carol to review the Q3 deck by fri', ctx()))
    expect(d.title).toBe('review the Q3 deck')
    expect(d.assignees.map((p) => p.id)).toEqual(['U_BOB', 'U_CAROL'])
    expect(d.due).toEqual({ at: new Date('2025-03-07T16:00:00Z'), dateOnly: true, said: 'fri' })
  })

  it('resolves multi-word names, longest first, and raw Slack ids through the platform', async () => {
    const d = ok(await parseCommandText('@Ada Lovelace, <@U_DAVE> and <@U_BOB|bob> check the build tomorrow 5pm', ctx()))
    expect(d.assignees.map((p) => p.id)).toEqual(['U_ADA', 'U_DAVE', 'U_BOB'])
    expect(d.title).toBe('and check the build')
    const ada = ok(await parseCommandText('ask @Ada about it', ctx()))
    expect(ada.assignees.map((p) => p.id)).toEqual(['U_ADAM'])
    expect(ada.title).toBe('ask about it')
  })

  it('"@me" is the creator, and an email address is not a mention', async () => {
    const d = ok(await parseCommandText('@me email ops@example.com about access', ctx()))
    expect(d.assignees.map((p) => p.id)).toEqual(['U_ALICE'])
    expect(d.title).toBe('email ops@example.com about access')
  })

  it('reads the due date in the creator’s zone', async () => {
    const tokyo = ok(await parseCommandText('ship it tomorrow 5pm', ctx(PEOPLE[2]!)))
    const newYork = ok(await parseCommandText('ship it tomorrow 5pm', ctx(PEOPLE[1]!)))
    expect(tokyo.due!.at.toISOString()).toBe('2025-03-06T08:00:00.000Z')
    expect(newYork.due!.at.toISOString()).toBe('2025-03-06T22:00:00.000Z')
  })

  it.each([
    ['@nobody fix it', 'assignees', /@nobody/],
    ['<@U_GHOST> fix it', 'assignees', /U_GHOST/],
    ['@here fix it', 'assignees', /people, not to \*\*@here\*\*/],
    ['@Deploybot fix it', 'assignees', /bot/],
    ['fix it due blarg', 'due', /couldn’t read \*\*blarg\*\*/],
    ['fix it yesterday 5pm', 'due', /already passed/],
    ['@bob by fri', 'title', /What should the task say/],
    ['', 'title', /What should the task say/],
  ])('refuses %j (%s)', async (text, field, message) => {
    const o = await parseCommandText(text, ctx())
    expect(o.ok).toBe(false)
    if (!o.ok) {
      expect(o.field).toBe(field)
      expect(o.message).toMatch(message)
    }
  })

  it('refuses 5,000 characters with a clear reason, and titles over the limit', async () => {
    const huge = await parseCommandText('x'.repeat(5000), ctx())
    expect(huge).toMatchObject({ ok: false, field: 'title' })
    expect(!huge.ok && huge.message).toMatch(/5,000 characters — too long/)
    const long = await parseCommandText(`${'word '.repeat(60)}by fri`, ctx())
    expect(long).toMatchObject({ ok: false, field: 'title' })
    expect(!long.ok && long.message).toMatch(`under ${TITLE_MAX}`)
  })
})

describe('message action text', () => {
  it('takes the first line as title, mentions as assignees, and ignores unknown @words', async () => {
    const d = ok(await parseMessageText('@Bob can you check the logs by friday? @ops knows more\nIt broke yesterday at 5pm', ctx()))
    expect(d.title).toBe('can you check the logs? @ops knows more')
    expect(d.assignees.map((p) => p.id)).toEqual(['U_BOB'])
    expect(d.due?.at.toISOString()).toBe('2025-03-07T16:00:00.000Z')
  })

  it('shortens a long first line instead of refusing, and says so', async () => {
    const d = ok(await parseMessageText('y'.repeat(5000), ctx()))
    expect(d.title.length).toBe(TITLE_MAX)
    expect(d.truncated).toBe(true)
  })

  it('refuses a message with no usable words', async () => {
    expect(await parseMessageText('@Bob', ctx())).toMatchObject({ ok: false, field: 'title' })
  })
})

describe('form values and edits', () => {
  it('validates each field separately', async () => {
    expect(
      ok(await parseFormValues({ title: 'Fix it', assignees: 'bob, @Ada Lovelace', due: 'tomorrow 5pm' }, ctx())).assignees.map((p) => p.id),
    ).toEqual(['U_BOB', 'U_ADA'])
    expect(await parseFormValues({ title: ' ', assignees: '', due: '' }, ctx())).toMatchObject({ ok: false, field: 'title' })
    expect(await parseFormValues({ title: 'x', assignees: 'zed', due: '' }, ctx())).toMatchObject({ ok: false, field: 'assignees' })
    expect(await parseFormValues({ title: 'x', assignees: '', due: 'whenever' }, ctx())).toMatchObject({ ok: false, field: 'due' })
  })

  it('an edit changes only what the text contains', async () => {
    expect(await parseEditText('tomorrow 5pm', ctx())).toMatchObject({ ok: true, changes: { due: { at: new Date('2025-03-06T16:00:00Z') } } })
    const e = await parseEditText('@carol', ctx())
    expect(e.ok && e.changes.assignees?.map((p) => p.id)).toEqual(['U_CAROL'])
    expect(e.ok && e.changes.title).toBeUndefined()
    expect(await parseEditText('due none', ctx())).toEqual({ ok: true, changes: { due: null } })
    expect(await parseEditText('', ctx())).toMatchObject({ ok: false })
  })
})

describe('mention scanning', () => {
  it('keeps punctuation after a name in the text', async () => {
    const m = await resolveMentions('thanks @Bob, see you', alice, lookup)
    expect(m.rest).toBe('thanks , see you')
    expect(m.people.map((p) => p.id)).toEqual(['U_BOB'])
  })
})

describe('dates that cannot be used', () => {
  it('an unreadable date offers the same command without it, when something is left to create', async () => {
    const o = await parseCommandText('<@U_BOB> review the contract at 25:99 please', ctx())
    expect(o).toMatchObject({ ok: false, field: 'due', undated: '<@U_BOB> review the contract please' })
    expect(!o.ok && o.message).toMatch(/couldn’t read \*\*25:99\*\* as a date or time/)
    expect(await parseCommandText('@Bob by the 45th of smarch', ctx())).not.toHaveProperty('undated')
    // The offered command is read with no date at all.
    const d = ok(await parseCommandText('<@U_BOB> review the contract please', ctx(), { withoutDate: true }))
    expect(d).toMatchObject({ title: 'review the contract please' })
    expect(d.due).toBeUndefined()
  })

  it('a part of today that is over is refused, saying what it meant and the time now', async () => {
    // 10:00 UTC is 11:00 in Paris.
    const o = await parseCommandText('water the plants this morning', ctx())
    expect(!o.ok && o.message).toBe(
      '**this morning** is Wed 5 Mar, 06:00 (Europe/Paris), which has already passed — it’s 11:00 there now. ' +
        'Pick a time in the future, e.g. “tomorrow morning”.',
    )
  })
})
