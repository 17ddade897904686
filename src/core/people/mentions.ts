/**
 * People named in command text (tasks, kudos). Adapters hand over text with mentions already resolved to
 * "@Display Name" (Slack messages, Teams, the shell) or, for Slack slash commands, raw `<@U123>` /
 * `<@U123|name>` tokens. Names can have spaces ("@Ada Lovelace"), so an "@" is matched against the
 * longest run of following words that names a known person.
 */
import type { Person } from '../model.ts'

export interface PeopleLookup {
  /** Display name, case-insensitive (PeopleRepository.findByName). */
  byName(name: string): Promise<Person | undefined>
  /** Platform id (ChatPlatform.getPerson). */
  byId(id: string): Promise<Person | undefined>
}

export type MentionProblem = { kind: 'unknown'; token: string } | { kind: 'bot'; name: string } | { kind: 'group'; token: string }

export interface Mentions {
  people: Person[]
  /** The text with every resolved mention cut out. */
  rest: string
  /** The text started with a mention ("@bob to review …"), so a leading "to" can go too. */
  leading: boolean
  problems: MentionProblem[]
}

const RAW_ID = /<@([A-Za-z0-9._:-]+)(?:\|([^>]*))?>/y
const AT = /(^|[\s(,;])@/g
const WORD = /[^\s@<>]+/y
const MAX_NAME_WORDS = 4
const GROUPS = new Set(['here', 'channel', 'everyone', 'all', 'team'])
const SELF = new Set(['me', 'myself'])
const TRAILING = /[.,;:!?)'"’]+$/

/**
 * Resolves every mention. `lenient` keeps unknown "@words" as plain text (a message someone wrote
 * for other readers) instead of reporting them (a command typed for Beacon).
 */
export async function resolveMentions(text: string, self: Person, lookup: PeopleLookup, opts: { lenient?: boolean } = {}): Promise<Mentions> {
  const people: Person[] = []
  const problems: MentionProblem[] = []
  let rest = ''
  let i = 0
  let leading = false
  const add = (p: Person) => {
    if (!people.some((x) => x.id === p.id)) people.push(p)
  }
  const atStart = () => rest.trim() === ''

  while (i < text.length) {
    RAW_ID.lastIndex = i
    const raw = text.startsWith('<@', i) ? RAW_ID.exec(text) : null
    if (raw) {
      const p = (await lookup.byId(raw[1]!)) ?? (raw[2] ? await lookup.byName(raw[2]) : undefined)
      if (atStart()) leading = true
      if (!p) problems.push({ kind: 'unknown', token: raw[2] ? `@${raw[2]}` : raw[0] })
      else if (p.isBot) problems.push({ kind: 'bot', name: p.displayName })
      else add(p)
      i += raw[0].length
      continue
    }
    if (text.startsWith('<@', i)) {
      rest += '<' // not a well-formed token: plain text
      i++
      continue
    }
    AT.lastIndex = i
    const at = AT.exec(text)
    const nextRaw = text.indexOf('<@', i)
    if (nextRaw >= 0 && (!at || nextRaw < at.index + at[1]!.length)) {
      rest += text.slice(i, nextRaw)
      i = nextRaw
      continue
    }
    if (!at) {
      rest += text.slice(i)
      break
    }
    const atPos = at.index + at[1]!.length
    rest += text.slice(i, atPos)
    const found = await matchAt(text, atPos + 1, self, lookup)
    if (found.kind === 'person') {
      if (atStart()) leading = true
      if (found.person.isBot) problems.push({ kind: 'bot', name: found.person.displayName })
      else add(found.person)
      rest += found.trailing
      i = found.end
      continue
    }
    if (found.kind === 'group') problems.push({ kind: 'group', token: `@${found.word}` })
    else if (found.kind === 'unknown' && !opts.lenient) problems.push({ kind: 'unknown', token: `@${found.word}` })
    rest += '@'
    i = atPos + 1
  }
  return { people, rest, leading, problems }
}

type Match = { kind: 'person'; person: Person; end: number; trailing: string } | { kind: 'group' | 'unknown'; word: string } | { kind: 'none' }

async function matchAt(text: string, from: number, self: Person, lookup: PeopleLookup): Promise<Match> {
  // The words after "@", with where each ends.
  const words: { word: string; end: number }[] = []
  let pos = from
  while (words.length < MAX_NAME_WORDS) {
    WORD.lastIndex = pos
    const w = WORD.exec(text)
    if (!w) break
    words.push({ word: w[0], end: pos + w[0].length })
    const gap = /^[ \t]+/.exec(text.slice(pos + w[0].length))
    if (!gap || TRAILING.test(w[0])) break // a name does not continue past "," or a line end
    pos += w[0].length + gap[0].length
  }
  const first = words[0]
  if (!first) return { kind: 'none' }
  const firstWord = first.word.replace(TRAILING, '')
  if (SELF.has(firstWord.toLowerCase())) return person(self, first.word, first.end)
  if (GROUPS.has(firstWord.toLowerCase())) return { kind: 'group', word: firstWord }
  // Longest first: "@Ada Lovelace" must not stop at a person called "Ada".
  for (let n = words.length; n >= 1; n--) {
    const last = words[n - 1]!
    const name = text.slice(from, last.end).replace(TRAILING, '')
    if (!name) continue
    const p = await lookup.byName(name)
    if (p) return person(p, text.slice(from, last.end), last.end)
  }
  const byId = firstWord ? await lookup.byId(firstWord) : undefined
  if (byId) return person(byId, first.word, first.end)
  return { kind: 'unknown', word: firstWord || first.word }
}

function person(p: Person, matched: string, end: number): Match {
  // Keep punctuation that followed the name ("@bob, please …") out of the name but in the text.
  const trailing = TRAILING.exec(matched)?.[0] ?? ''
  return { kind: 'person', person: p, end, trailing }
}
